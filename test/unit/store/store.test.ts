import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { openStore, storePath, type Store } from '../../../daemon/store/store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../daemon/store/store-migrations.ts';
import type { AlertRecord } from '../../../daemon/store/history-query.ts';
import { boot, event, fit, T0, tempDir, TestClock } from './store-fixtures.ts';

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;

describe('openStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  const opened: Store[] = [];
  const open = (...args: Parameters<typeof openStore>): Store => {
    const s = openStore(...args);
    opened.push(s);
    return s;
  };

  beforeEach(() => {
    tmp = tempDir();
    path = storePath(tmp.dir);
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
    tmp.cleanup();
  });

  it('creates a WAL database at the current schema version, and its directory', () => {
    path = storePath(`${tmp.dir}/not/yet`);
    const store = open(path, { clock: new TestClock() });
    expect(store.openedAtVersion).toBe(0);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('round-trips events, boots, drift fits, port sessions and alerts through the file', () => {
    const clock = new TestClock();
    const store = open(path, { clock });
    const e1 = event();
    const e2 = event({ kind: 'clock.drift', severity: 'warning', state: 'raised', attrs: { ratio: 0.125 } });
    const { deviceTime: _d, hint: _h, ...bare } = event({ kind: 'log.dropped', severity: 'info' });
    const b = boot({ attrs: { 'wifi.phase': 'failed', 'esp.resetAttempts': 3 }, milestones: [{ name: 'banner', hostTime: T0, seq: 0 }, { name: 'wifi.connected', hostTime: T0 + 5, deviceTime: 900, seq: 40 }] });
    const alert: AlertRecord = {
      id: 'faults:console:1', rule: 'faults', port: 'console', kind: 'fault', state: 'resolved',
      firstAt: T0, lastAt: T0 + 10, count: 3, title: 'HARD FAULT', eventId: e1.id, resolvedAt: T0 + 20,
    };
    store.write([
      { type: 'status', status: { port: 'console', state: 'connected', hostTime: T0 }, source: '/dev/ttyACM0' },
      { type: 'event', event: e1 },
      { type: 'event', event: e2 },
      { type: 'event', event: bare },
      { type: 'boot', boot: b, hostTime: T0 + 5 },
      { type: 'drift', fit: fit(), hostTime: T0 + 7 },
      { type: 'alert', alert },
      { type: 'status', status: { port: 'console', state: 'retrying', hostTime: T0 + 100, reason: 'disconnected' } },
    ]);
    store.close();

    const again = open(path, { clock, readonly: true });
    expect(again.history.events()).toEqual([e1, e2, bare]);
    expect(again.history.boots()).toEqual([b]);
    expect(again.history.drift()).toEqual([{ ...fit(), hostTime: T0 + 7 }]);
    expect(again.history.alerts()).toEqual([alert]);
    expect(again.history.ports()).toEqual([{ port: 'console', source: '/dev/ttyACM0', openedAt: T0, closedAt: T0 + 100, reason: 'disconnected' }]);
  });

  it('filters by port, kind and since, and keeps the most recent rows when limited, oldest first', () => {
    const store = open(path, { clock: new TestClock() });
    const events = Array.from({ length: 10 }, (_, i) =>
      event({ port: i % 2 ? 'esp' : 'console', kind: i % 3 ? 'fault' : 'stall', hostTime: T0 + i * 1000 }),
    );
    store.write(events.map((e) => ({ type: 'event' as const, event: e })));
    expect(store.history.events({ port: 'esp' }).map((e) => e.hostTime)).toEqual([1, 3, 5, 7, 9].map((i) => T0 + i * 1000));
    expect(store.history.events({ kind: 'stall' }).map((e) => e.hostTime)).toEqual([0, 3, 6, 9].map((i) => T0 + i * 1000));
    expect(store.history.events({ since: T0 + 7000 })).toHaveLength(3);
    expect(store.history.events({ limit: 3 }).map((e) => e.hostTime)).toEqual([7, 8, 9].map((i) => T0 + i * 1000));
    expect(store.history.events({ port: 'console', kind: 'fault', since: T0 + 3000 }).map((e) => e.hostTime)).toEqual([T0 + 4000, T0 + 8000]);
  });

  it('stores a re-published event or boot once, with its latest state', () => {
    const store = open(path, { clock: new TestClock() });
    const b = boot();
    store.write([{ type: 'boot', boot: b, hostTime: T0 }]);
    store.write([{ type: 'boot', boot: { ...b, endReason: 'reboot', milestones: [...b.milestones, { name: 'esp.ready', hostTime: T0 + 9, seq: 7 }] }, hostTime: T0 + 9 }]);
    const e = event();
    store.write([{ type: 'event', event: e }, { type: 'event', event: { ...e, title: 'updated' } }]);
    expect(store.history.boots()).toHaveLength(1);
    expect(store.history.boots()[0]?.endReason).toBe('reboot');
    expect(store.history.boots()[0]?.milestones.map((m) => m.name)).toEqual(['banner', 'esp.ready']);
    expect(store.history.events().map((x) => x.title)).toEqual(['updated']);
  });

  it('keeps at most one drift row per series per interval: the latest fit of the interval', () => {
    const store = open(path, { clock: new TestClock(), driftIntervalSecs: 10 });
    const base = Math.ceil(T0 / 10_000_000) * 10_000_000;
    store.write([
      { type: 'drift', fit: fit({ samples: 3 }), hostTime: base + 1_000_000 },
      { type: 'drift', fit: fit({ samples: 4 }), hostTime: base + 5_000_000 },
      { type: 'drift', fit: fit({ samples: 5, source: 'log' }), hostTime: base + 5_000_000 },
      { type: 'drift', fit: fit({ samples: 6 }), hostTime: base + 9_999_999 },
      { type: 'drift', fit: fit({ samples: 7 }), hostTime: base + 10_000_000 },
    ]);
    const rows = store.history.drift();
    expect(rows.filter((r) => r.source === 'uptime').map((r) => r.samples)).toEqual([6, 7]);
    expect(rows.filter((r) => r.source === 'log').map((r) => r.samples)).toEqual([5]);
  });

  it('keeps every drift fit when the interval is 0', () => {
    const store = open(path, { clock: new TestClock(), driftIntervalSecs: 0 });
    store.write([1, 2, 3].map((i) => ({ type: 'drift' as const, fit: fit({ samples: i }), hostTime: T0 + i })));
    expect(store.history.drift().map((r) => r.samples)).toEqual([1, 2, 3]);
  });

  it('migrates a v1 store to the current schema, keeping its rows and gaining the new columns', () => {
    const db = new Database(path);
    db.exec(MIGRATIONS[0] ?? '');
    db.pragma('user_version = 1');
    db.prepare(`INSERT INTO events (id, kind, severity, port, boot, host_time, title, lines_port, seq_first, seq_last, attrs)
      VALUES ('old-1', 'fault', 'critical', 'console', 'console#0', ?, 'old fault', 'console', 5, 9, '{"pc":"0x1"}')`).run(T0);
    db.prepare(`INSERT INTO alerts (id, rule, port, kind, state, first_at, last_at, count, title, event_id)
      VALUES ('a1', 'faults', 'console', 'fault', 'firing', ?, ?, 1, 'old fault', 'old-1')`).run(T0, T0);
    db.prepare(`INSERT INTO drift (port, boot, source, host_time, ratio, ppm, uncertainty_ppm, samples, span_s, verdict)
      VALUES ('console', 'console#0', 'uptime', ?, 0.125, -875000, 100, 9, 8, 'drift')`).run(T0);
    db.prepare(`INSERT INTO drift (port, boot, source, host_time, ratio, ppm, uncertainty_ppm, samples, span_s, verdict)
      VALUES ('console', 'console#0', 'uptime', ?, 0.125, -875000, 100, 10, 9, 'drift')`).run(T0 + 1);
    db.close();

    const store = open(path, { clock: new TestClock() });
    expect(store.openedAtVersion).toBe(1);
    expect(store.history.events()).toEqual([
      { id: 'old-1', kind: 'fault', severity: 'critical', port: 'console', boot: 'console#0', hostTime: T0, title: 'old fault', attrs: { pc: '0x1' }, lines: { port: 'console', first: 5, last: 9 } },
    ]);
    expect(store.history.drift().map((d) => d.samples)).toEqual([9, 10]);
    expect(store.lastSeq('console')).toBe(9);
    store.write([{ type: 'alert', alert: { id: 'a1', rule: 'faults', port: 'console', kind: 'fault', state: 'resolved', firstAt: T0, lastAt: T0, count: 1, title: 'old fault', eventId: 'old-1', resolvedAt: T0 + 5 } }], new Map([['console', 42]]));
    expect(store.history.alerts()[0]).toMatchObject({ state: 'resolved', resolvedAt: T0 + 5 });
    expect(store.lastSeq('console')).toBe(42);
  });

  it('refuses a store written by a newer uartscope, naming the file and both versions', () => {
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => open(path)).toThrow(new RegExp(`schema v${SCHEMA_VERSION + 1} is newer .*\\(v${SCHEMA_VERSION}\\)`));
  });

  it('prunes rows older than the retention when it opens, and keeps newer ones', () => {
    const clock = new TestClock(T0);
    const store = open(path, { clock, retentionDays: 30 });
    const old = event({ hostTime: T0 - 31 * DAY });
    const recent = event({ hostTime: T0 - 29 * DAY });
    store.write([
      { type: 'event', event: old },
      { type: 'event', event: recent },
      { type: 'boot', boot: boot({ id: 'old', index: 0, hostStart: T0 - 40 * DAY }), hostTime: T0 - 40 * DAY },
      { type: 'boot', boot: boot({ id: 'long-running', index: 1, hostStart: T0 - 40 * DAY }), hostTime: T0 - DAY },
      { type: 'drift', fit: fit(), hostTime: T0 - 31 * DAY },
      { type: 'status', status: { port: 'console', state: 'connected', hostTime: T0 - 35 * DAY } },
      { type: 'status', status: { port: 'console', state: 'gone', hostTime: T0 - 34 * DAY } },
      { type: 'status', status: { port: 'console', state: 'connected', hostTime: T0 - 33 * DAY } },
    ]);
    store.close();

    const reopened = open(path, { clock, retentionDays: 30 });
    expect(reopened.history.events().map((e) => e.id)).toEqual([recent.id]);
    expect(reopened.history.boots().map((b) => b.id)).toEqual(['long-running']);
    expect(reopened.history.drift()).toEqual([]);
    // The still-open session is kept, however old: it is the port's current one.
    expect(reopened.history.ports().map((p) => p.openedAt)).toEqual([T0 - 33 * DAY]);
  });

  it('prunes on demand with the clock of the running daemon', () => {
    const clock = new TestClock(T0);
    const store = open(path, { clock, retentionDays: 1 });
    store.write([{ type: 'event', event: event({ hostTime: T0 }) }]);
    clock.t = T0 + DAY + HOUR;
    expect(store.prune().deleted).toBe(1);
    expect(store.history.events()).toEqual([]);
  });

  it('prunes again every prune interval while it stays open', () => {
    vi.useFakeTimers();
    try {
      const clock = new TestClock(T0);
      const store = open(path, { clock, retentionDays: 1, pruneIntervalSecs: 3600 });
      store.write([{ type: 'event', event: event({ hostTime: T0 }) }]);
      clock.t = T0 + DAY + HOUR;
      vi.advanceTimersByTime(3_599_000);
      expect(store.history.events()).toHaveLength(1);
      vi.advanceTimersByTime(1000);
      expect(store.history.events()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers lastSeq, lastBootIndex and lastBoot from the newest rows of the port', () => {
    const store = open(path, { clock: new TestClock() });
    expect(store.lastSeq('console')).toBeUndefined();
    expect(store.lastBootIndex('console')).toBeUndefined();
    store.write(
      [
        { type: 'boot', boot: boot({ index: 0 }), hostTime: T0 },
        { type: 'boot', boot: boot({ index: 1, firstSeq: 300 }), hostTime: T0 + 1 },
        { type: 'boot', boot: boot({ port: 'esp', index: 4 }), hostTime: T0 + 1 },
        { type: 'event', event: event({ lines: { port: 'console', first: 310, last: 320 } }) },
      ],
      new Map([['esp', 77]]),
    );
    expect(store.lastSeq('console')).toBe(320);
    expect(store.lastSeq('esp')).toBe(77);
    expect(store.lastBootIndex('console')).toBe(1);
    expect(store.lastBoot('esp')?.index).toBe(4);
  });
});
