import { describe, expect, it } from 'vitest';
import type { AnalyzeReport } from '../../../daemon/analyze/analyze-report.ts';
import { isAnalyzeReport } from '../../../daemon/analyze/analyze-report.ts';
import { createDriftAnalyzer } from '../../../daemon/drift/drift-analyzer.ts';
import { analyze, TIMER_SEED, WIFI_SEED } from './analyze-harness.ts';
import { reportProblems } from './report-shape.ts';

async function jsonReport(argv: string[], opts: Parameters<typeof analyze>[1] = {}): Promise<AnalyzeReport> {
  const r = await analyze([...argv, '--json'], opts);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AnalyzeReport;
}

describe('uartscope analyze on the seed captures', () => {
  it('names the ESP reset failure (-116 after 3 tries) and the connect failure (-115 ENETDOWN) in the Wi-Fi app capture', async () => {
    const report = await jsonReport([WIFI_SEED]);
    const reset = report.events.filter((e) => e.kind === 'esp.reset_failed');
    expect(reset).toHaveLength(1);
    expect(reset[0]?.attrs).toMatchObject({ errno: -116, errnoName: 'ETIMEDOUT', tries: 3, deviceDurationS: 12.001 });
    expect(reset[0]?.severity).toBe('error');
    const connect = report.events.filter((e) => e.kind === 'wifi.connect_failed');
    expect(connect).toHaveLength(1);
    expect(connect[0]?.attrs).toMatchObject({ errno: -115, errnoName: 'ENETDOWN', causeEventId: reset[0]?.id });
    expect(connect[0]?.hint).toBe('the interface never came up: see the ESP reset failure before it');
    expect(report.wifi).toEqual([expect.objectContaining({ outcome: 'failed', errno: -115, errnoName: 'ENETDOWN', ip: null, ssid: 'rpi3-hotspot', resetAttempts: 3 })]);
  });

  it('finds exactly one boot of v4.1.0-1219-g584f2f86f905 and no reboot, although the driver lines come before the banner', async () => {
    const report = await jsonReport([WIFI_SEED]);
    expect(report.boots).toHaveLength(1);
    expect(report.boots[0]).toMatchObject({ index: 0, version: 'v4.1.0-1219-g584f2f86f905', endReason: 'end', firstSeq: 0 });
    expect(report.events.filter((e) => e.kind === 'reboot')).toHaveLength(0);
    expect(report.events.filter((e) => e.kind === 'boot')).toHaveLength(1);
    expect(report.lines).toEqual({ total: 13, byLevel: { err: 2, wrn: 0, inf: 11, dbg: 0 } });
  });

  it('prints a report object of the documented uartscope.report/1 shape', async () => {
    const report = await jsonReport([WIFI_SEED, TIMER_SEED]);
    expect(isAnalyzeReport(report)).toBe(true);
    expect(reportProblems(report)).toEqual([]);
    expect(report.sources.map((s) => [s.port, s.format, s.role, s.lines])).toEqual([
      ['wifi-app-esp-reset-failure', 'plain', 'zephyr', 13],
      ['timer-test-8x-slow', 'tio', 'zephyr', 13],
    ]);
    expect(report.drift).toEqual([]);
  });

  it('reads the tio host stamps of the timer capture as real host time', async () => {
    const report = await jsonReport([TIMER_SEED]);
    expect(report.boots).toHaveLength(1);
    expect(report.boots[0]?.hostStart).toBe(Date.UTC(2025, 3, 29, 21, 17, 7, 740) * 1000);
    expect(report.boots[0]?.version).toBe('v4.1.0-1220-gf352f026f154');
  });

  it('fills drift[] from the drift messages of an extra analyzer (the 8x slow clock)', async () => {
    const report = await jsonReport([TIMER_SEED], { extraAnalyzers: () => [createDriftAnalyzer()] });
    expect(reportProblems(report)).toEqual([]);
    const uptime = report.drift.filter((d) => d.source === 'uptime');
    expect(uptime).toHaveLength(1);
    expect(uptime[0]?.ratio).toBeGreaterThan(0.125 * 0.99);
    expect(uptime[0]?.ratio).toBeLessThan(0.125 * 1.01);
  });

  it('writes a readable report: boots with versions, events by severity with their lines, Wi-Fi outcome, counts by level', async () => {
    const r = await analyze([WIFI_SEED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wifi-app-esp-reset-failure #0: v4.1.0-1219-g584f2f86f905');
    expect(r.stdout).toMatch(/ERROR \(2\)\n {4}\[esp\.reset_failed\] ESP reset failed after 3 tries \(-116 ETIMEDOUT\)/);
    expect(r.stdout).toContain('      | [00:00:12.001,000] <err> wifi_esp_at: Failed to reset device: -116');
    expect(r.stdout).toContain('failed, SSID rpi3-hotspot');
    expect(r.stdout).toContain('Lines: 13 (err 2, wrn 0, inf 11, dbg 0)');
  });
});
