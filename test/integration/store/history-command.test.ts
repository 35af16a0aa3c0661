import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runHistory, parseSince } from '../../../daemon/history/history-command.ts';
import { hostClock } from '../../../daemon/core/host-time.ts';
import { openStore, storePath } from '../../../daemon/store/store.ts';
import { boot, event, tempDir } from '../../unit/store/store-fixtures.ts';

function io(): { stdout: { write(s: string): void; text: string }; stderr: { write(s: string): void; text: string } } {
  const make = () => {
    const o = { text: '', write(s: string) { o.text += s; } };
    return o;
  };
  return { stdout: make(), stderr: make() };
}

describe('uartscope history', () => {
  let tmp: ReturnType<typeof tempDir>;
  const now = hostClock.now();
  const H = 3_600_000_000;
  beforeEach(() => {
    tmp = tempDir();
    const store = openStore(storePath(tmp.dir));
    store.write([
      { type: 'boot', boot: boot({ index: 0, hostStart: now - 5 * H }), hostTime: now - 5 * H },
      { type: 'boot', boot: boot({ index: 1, hostStart: now - 1 * H, endReason: 'fault', version: 'v4.1.0-rc1' }), hostTime: now - H },
      { type: 'event', event: event({ id: 'old', kind: 'esp.reset_failed', severity: 'error', hostTime: now - 4 * H, title: 'Failed to reset device: -116 after 3 AT+RST' }) },
      { type: 'event', event: event({ id: 'new', kind: 'fault', hostTime: now - H / 2, title: 'HARD FAULT' }) },
      { type: 'event', event: event({ id: 'esp', port: 'esp', kind: 'wifi.connect_failed', severity: 'error', hostTime: now - H / 4, title: 'connect failed -115 (ENETDOWN)' }) },
    ]);
    store.close();
  });
  afterEach(() => tmp.cleanup());

  it('lists boots and events as a readable table', async () => {
    const o = io();
    expect(await runHistory(['--data', tmp.dir], o)).toBe(0);
    expect(o.stdout.text).toMatch(/^Boots \(2\)\nPORT +BOOT +STARTED/);
    expect(o.stdout.text).toMatch(/console +1 +\d{4}-\d\d-\d\dT[\d:.]+Z +zephyr +v4\.1\.0-rc1 +fault +banner/);
    expect(o.stdout.text).toMatch(/Events \(3\)/);
    expect(o.stdout.text).toMatch(/esp +error +wifi\.connect_failed +connect failed -115 \(ENETDOWN\)/);
    expect(o.stderr.text).toBe('');
  });

  it('filters by port, kind and a relative --since, as JSON', async () => {
    const o = io();
    expect(await runHistory(['--data', tmp.dir, '--since', '2h', '--port', 'console', '--json'], o)).toBe(0);
    const report = JSON.parse(o.stdout.text) as { schema: string; boots: Array<{ index: number }>; events: Array<{ id: string }> };
    expect(report.schema).toBe('uartscope.history/1');
    expect(report.boots.map((b) => b.index)).toEqual([1]);
    expect(report.events.map((e) => e.id)).toEqual(['new']);

    const k = io();
    expect(await runHistory(['--data', tmp.dir, '--kind', 'esp.reset_failed', '--json'], k)).toBe(0);
    const byKind = JSON.parse(k.stdout.text) as { boots: unknown[]; events: Array<{ id: string }> };
    expect(byKind.events.map((e) => e.id)).toEqual(['old']);
    expect(byKind.boots).toEqual([]);
  });

  it('accepts an ISO time for --since', async () => {
    const o = io();
    const iso = new Date((now - H) / 1000).toISOString();
    expect(await runHistory(['--data', tmp.dir, '--since', iso, '--json'], o)).toBe(0);
    expect((JSON.parse(o.stdout.text) as { events: Array<{ id: string }> }).events.map((e) => e.id)).toEqual(['new', 'esp']);
  });

  it('exits 2 with a clear message when the store does not exist', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    const o = io();
    expect(await runHistory(['--data', empty], o)).toBe(2);
    expect(o.stderr.text).toMatch(/no store at .*empty\/uartscope\.db/);
    expect(o.stdout.text).toBe('');
  });

  it('exits 2 on a bad --since or an unknown option', async () => {
    const a = io();
    expect(await runHistory(['--data', tmp.dir, '--since', 'yesterday-ish'], a)).toBe(2);
    expect(a.stderr.text).toMatch(/"--since" must be an ISO time or a duration/);
    const b = io();
    expect(await runHistory(['--dta', tmp.dir], b)).toBe(2);
    expect(b.stderr.text).toMatch(/usage: uartscope history/);
  });

  it('reads durations in ms, s, m, h, d and w', () => {
    expect(parseSince('90s', 1e12)).toBe(1e12 - 90e6);
    expect(parseSince('30m', 1e12)).toBe(1e12 - 30 * 60e6);
    expect(parseSince('1.5d', 1e12)).toBe(1e12 - 1.5 * 86_400e6);
    expect(parseSince('2w', 1e13)).toBe(1e13 - 2 * 604_800e6);
    expect(parseSince('250ms', 1e12)).toBe(1e12 - 250e3);
    expect(parseSince('2026-11-24T23:00:00.5Z', 0)).toBe(Date.parse('2026-11-24T23:00:00Z') * 1000 + 500_000);
    expect(parseSince('soon', 0)).toBeUndefined();
  });
});
