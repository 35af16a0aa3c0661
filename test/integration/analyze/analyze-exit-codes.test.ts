import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze, WIFI_SEED } from './analyze-harness.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uartscope-analyze-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('uartscope analyze exit codes', () => {
  it('exits 1 when a --fail-on kind occurred', async () => {
    const r = await analyze([WIFI_SEED, '--fail-on', 'fault,esp.reset_failed']);
    expect(r.code).toBe(1);
  });

  it('exits 0 when none of the --fail-on kinds occurred', async () => {
    const r = await analyze([WIFI_SEED, '--fail-on', 'fault,reboot,hv.error']);
    expect(r.code).toBe(0);
  });

  it('exits 2 with one line naming a missing file', async () => {
    const missing = join(dir, 'nope.log');
    const r = await analyze([missing]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`uartscope analyze: ${missing}: cannot read (ENOENT)\n`);
  });

  it('exits 2 naming an unknown format', async () => {
    const r = await analyze([WIFI_SEED, '--format', 'putty']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown format "putty"');
  });

  it('exits 2 naming a bad option, a missing value, and no file at all', async () => {
    for (const [argv, cause] of [
      [[WIFI_SEED, '--colour'], 'unknown option --colour'],
      [[WIFI_SEED, '--junit'], 'option --junit needs a value'],
      [[], 'no capture file given'],
      [[WIFI_SEED, '--role', 'modem'], 'unknown role "modem"'],
      [[WIFI_SEED, '--fail-on', 'Bad Kind'], 'bad event kind "Bad Kind"'],
    ] as const) {
      const r = await analyze([...argv]);
      expect(r.code).toBe(2);
      expect(r.stderr.startsWith(`uartscope analyze: ${cause}`)).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('exits 2 naming the key of an invalid config', async () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'rules:\n  - name: x\n    pattern: "("\n    kind: app.x\n');
    const r = await analyze([WIFI_SEED, '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rules[0].pattern');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 for a directory given as a file', async () => {
    const r = await analyze([dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a file');
  });
});
