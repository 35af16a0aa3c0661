import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const SEED = fileURLToPath(new URL('../../golden/parsers/seed-wifi-app-esp-reset-failure.log', import.meta.url));
const port = `console=replay:${SEED}?speed=max,role=zephyr`;

describe('uartscope run as a CI gate', () => {
  it('exits 1 when a fail-on event comes before the pattern, and writes a JUnit case per check', async () => {
    const dir = tempDir();
    const junit = join(dir, 'report.xml');
    const r = await runCli(['run', '--port', port, '--data', join(dir, 'data'), '--no-http', '--no-metrics', '--quiet', '--until', 'Hello in WiFi App', '--timeout', '30', '--fail-on', 'esp.reset_failed,fault', '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('esp.reset_failed');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('name="pattern /Hello in WiFi App/ reached"');
    expect(xml).toMatch(/name="no esp\.reset_failed"[^>]*>\s*<failure/);
    expect(xml).toMatch(/name="no fault"[^>]*\/>|name="no fault"[^>]*><\/testcase>/);
    expect(xml).toContain('name="device clock within tolerance"');
  });

  it('exits 0 when the pattern is seen and nothing failed', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--port', port, '--data', join(dir, 'data'), '--no-http', '--no-metrics', '--quiet', '--until', 'Hello in WiFi App', '--timeout', '30', '--fail-on', 'fault']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pattern \/Hello in WiFi App\/ seen on console/);
  });

  it('exits 3 when the pattern never comes', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--port', port, '--data', join(dir, 'data'), '--no-http', '--no-metrics', '--quiet', '--until', 'ESP Wi-Fi ready', '--timeout', '30']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('not seen');
  });
});
