import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import type { Boot, BootEndReason, Milestone } from '../core/boot.ts';
import type { BusEvent, EventState, Severity } from '../core/bus-event.ts';
import type { DriftFit, DriftVerdict } from '../core/drift-fit.ts';
import type { StoreConfig } from '../config/sections/store.ts';
import { hostClock, type HostTime } from '../core/host-time.ts';
import type { DeviceTimeSource, FieldValue } from '../core/parsed-record.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { AlertRecord, HistoryFilter, HistoryQuery, PortSession, StoredDriftFit } from './history-query.ts';
import { migrate, SCHEMA_VERSION } from './store-migrations.ts';

/** One thing to persist; what the {@link StoreSink} makes of the bus messages it keeps. */
export type StoreWrite =
  | { readonly type: 'event'; readonly event: BusEvent }
  /** `hostTime`: when this state of the boot was seen (retention keeps a boot by its last update). */
  | { readonly type: 'boot'; readonly boot: Boot; readonly hostTime: HostTime }
  | { readonly type: 'drift'; readonly fit: DriftFit; readonly hostTime: HostTime }
  /** `source`: the port's configured source, recorded with the session it opens. */
  | { readonly type: 'status'; readonly status: PortStatus; readonly source?: string }
  | { readonly type: 'alert'; readonly alert: AlertRecord };

export interface StoreOptions {
  /** Rows older than this are deleted at open and every `pruneIntervalSecs` (days; default 30). */
  readonly retentionDays?: number;
  readonly pruneIntervalSecs?: number;
  /** At most one drift row per (port, boot, source) per interval; 0 keeps every fit (s; default 10). */
  readonly driftIntervalSecs?: number;
  /** Open for reading only (`uartscope history`): no pruning, no timer; migrates only if the schema is older. */
  readonly readonly?: boolean;
  readonly clock?: { now(): HostTime };
}

/** The `store:` config section as {@link openStore} options. */
export function storeOptionsFromConfig(c: StoreConfig, clock?: { now(): HostTime }): StoreOptions {
  return {
    retentionDays: c.retention_days,
    pruneIntervalSecs: c.prune_interval_secs,
    driftIntervalSecs: c.drift_interval_secs,
    ...(clock ? { clock } : {}),
  };
}

export interface PruneResult {
  readonly cutoff: HostTime;
  readonly deleted: number;
}

export interface Store {
  readonly path: string;
  readonly history: HistoryQuery;
  /** `user_version` the file had when opened (0 for a new file). */
  readonly openedAtVersion: number;
  /** Writes everything in one transaction, with the ports' last line seqs when given. */
  write(items: readonly StoreWrite[], lastSeqs?: ReadonlyMap<string, number>): void;
  /** Last line seq known for the port (the framer continues at +1); undefined for a port never seen. */
  lastSeq(port: string): number | undefined;
  /** Index of the port's latest boot (the boot tracker continues at +1); undefined when none. */
  lastBootIndex(port: string): number | undefined;
  lastBoot(port: string): Boot | undefined;
  /** When the store was last written (µs), undefined for a new store. */
  lastWriteAt(): HostTime | undefined;
  /** Closes sessions still open (a daemon that stopped without closing them). Returns how many. */
  closeOpenSessions(at: HostTime, reason: string): number;
  prune(now?: HostTime): PruneResult;
  close(): void;
}

const DAY_US = 86_400_000_000;

/** Where the store lives: `store.file` inside the data dir unless it is absolute. */
export function storePath(dataDir: string, file = 'uartscope.db'): string {
  return resolve(dataDir, file);
}
const DEFAULT_LIMIT = 1000;

interface EventRow {
  id: string; kind: string; severity: string; port: string; boot: string | null; host_time: number;
  device_time: number | null; title: string; hint: string | null; state: string | null;
  lines_port: string; seq_first: number; seq_last: number; attrs: string;
}
interface BootRow {
  id: string; port: string; idx: number; host_start: number; first_seq: number; kind: string;
  banner: string | null; version: string | null; end_reason: string; milestones: string; attrs: string | null;
}
interface DriftRow {
  port: string; boot: string; source: string; host_time: number; ratio: number; ppm: number;
  uncertainty_ppm: number; samples: number; span_s: number; verdict: string; hint: string | null;
}
interface AlertRow {
  id: string; rule: string; port: string; kind: string; state: string; first_at: number; last_at: number;
  count: number; title: string; event_id: string; resolved_at: number | null;
}
interface SessionRow { port: string; source: string; opened_at: number; closed_at: number | null; reason: string | null }

function eventFromRow(r: EventRow): BusEvent {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity as Severity,
    port: r.port,
    boot: r.boot,
    hostTime: r.host_time,
    ...(r.device_time !== null ? { deviceTime: r.device_time } : {}),
    title: r.title,
    attrs: JSON.parse(r.attrs) as Record<string, FieldValue>,
    ...(r.hint !== null ? { hint: r.hint } : {}),
    lines: { port: r.lines_port, first: r.seq_first, last: r.seq_last },
    ...(r.state !== null ? { state: r.state as EventState } : {}),
  };
}

function bootFromRow(r: BootRow): Boot {
  return {
    id: r.id,
    port: r.port,
    index: r.idx,
    hostStart: r.host_start,
    firstSeq: r.first_seq,
    ...(r.banner !== null ? { banner: r.banner } : {}),
    ...(r.version !== null ? { version: r.version } : {}),
    kind: r.kind,
    milestones: JSON.parse(r.milestones) as Milestone[],
    endReason: r.end_reason as BootEndReason,
    ...(r.attrs !== null ? { attrs: JSON.parse(r.attrs) as Record<string, FieldValue> } : {}),
  };
}

function driftFromRow(r: DriftRow): StoredDriftFit {
  return {
    port: r.port,
    boot: r.boot,
    source: r.source as DeviceTimeSource,
    ratio: r.ratio,
    ppm: r.ppm,
    uncertaintyPpm: r.uncertainty_ppm,
    samples: r.samples,
    spanS: r.span_s,
    verdict: r.verdict as DriftVerdict,
    ...(r.hint !== null ? { hint: r.hint } : {}),
    hostTime: r.host_time,
  };
}

function alertFromRow(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    rule: r.rule,
    port: r.port,
    kind: r.kind,
    state: r.state as 'firing' | 'resolved',
    firstAt: r.first_at,
    lastAt: r.last_at,
    count: r.count,
    title: r.title,
    eventId: r.event_id,
    ...(r.resolved_at !== null ? { resolvedAt: r.resolved_at } : {}),
  };
}

/**
 * Opens (creating and migrating as needed) the embedded store. WAL mode lets `uartscope
 * history` and the dashboard read while the daemon writes (https://sqlite.org/wal.html);
 * `synchronous = NORMAL` is durable against process crashes in WAL mode and may lose only
 * the last transactions on power loss, which the capture files cover anyway.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const clock = options.clock ?? hostClock;
  const retentionUs = (options.retentionDays ?? 30) * DAY_US;
  const driftIntervalUs = (options.driftIntervalSecs ?? 10) * 1_000_000;

  let db: Database.Database;
  let openedAtVersion: number;
  if (options.readonly) {
    db = new Database(path, { readonly: true, fileMustExist: true });
    openedAtVersion = db.pragma('user_version', { simple: true }) as number;
    if (openedAtVersion < SCHEMA_VERSION) {
      // An older schema: migrate once through a writable connection, then read.
      db.close();
      const rw = new Database(path, { fileMustExist: true });
      rw.pragma('busy_timeout = 5000');
      migrate(rw);
      rw.close();
      db = new Database(path, { readonly: true, fileMustExist: true });
    } else {
      migrate(db, openedAtVersion); // only checks that the file is not newer than we understand
    }
    db.pragma('busy_timeout = 5000');
  } else {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    openedAtVersion = migrate(db);
  }

  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };

  const writeTx = options.readonly
    ? undefined
    : db.transaction((items: readonly StoreWrite[], lastSeqs?: ReadonlyMap<string, number>) => {
        for (const item of items) writeOne(item);
        if (lastSeqs) {
          const up = stmt(`INSERT INTO port_seq (port, last_seq, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (port) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at`);
          const now = clock.now();
          for (const [port, seq] of lastSeqs) up.run(port, seq, now);
        }
        stmt(`INSERT INTO meta (key, value) VALUES ('last_write_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
          String(clock.now()),
        );
      });

  function writeOne(item: StoreWrite): void {
    switch (item.type) {
      case 'event': {
        const e = item.event;
        stmt(`INSERT INTO events (id, kind, severity, port, boot, host_time, device_time, title, hint, state, lines_port, seq_first, seq_last, attrs)
          VALUES (@id, @kind, @severity, @port, @boot, @host_time, @device_time, @title, @hint, @state, @lines_port, @seq_first, @seq_last, @attrs)
          ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, severity = excluded.severity, port = excluded.port, boot = excluded.boot,
            host_time = excluded.host_time, device_time = excluded.device_time, title = excluded.title, hint = excluded.hint,
            state = excluded.state, lines_port = excluded.lines_port, seq_first = excluded.seq_first, seq_last = excluded.seq_last,
            attrs = excluded.attrs`).run({
          id: e.id,
          kind: e.kind,
          severity: e.severity,
          port: e.port,
          boot: e.boot,
          host_time: e.hostTime,
          device_time: e.deviceTime ?? null,
          title: e.title,
          hint: e.hint ?? null,
          state: e.state ?? null,
          lines_port: e.lines.port,
          seq_first: e.lines.first,
          seq_last: e.lines.last,
          attrs: JSON.stringify(e.attrs),
        });
        return;
      }
      case 'boot': {
        const b = item.boot;
        stmt(`INSERT INTO boots (id, port, idx, host_start, first_seq, kind, banner, version, end_reason, milestones, updated_at, attrs)
          VALUES (@id, @port, @idx, @host_start, @first_seq, @kind, @banner, @version, @end_reason, @milestones, @updated_at, @attrs)
          ON CONFLICT (id) DO UPDATE SET port = excluded.port, idx = excluded.idx, host_start = excluded.host_start,
            first_seq = excluded.first_seq, kind = excluded.kind, banner = excluded.banner, version = excluded.version,
            end_reason = excluded.end_reason, milestones = excluded.milestones, updated_at = excluded.updated_at,
            attrs = excluded.attrs`).run({
          id: b.id,
          port: b.port,
          idx: b.index,
          host_start: b.hostStart,
          first_seq: b.firstSeq,
          kind: b.kind,
          banner: b.banner ?? null,
          version: b.version ?? null,
          end_reason: b.endReason,
          milestones: JSON.stringify(b.milestones),
          updated_at: item.hostTime,
          attrs: b.attrs !== undefined ? JSON.stringify(b.attrs) : null,
        });
        return;
      }
      case 'drift': {
        const f = item.fit;
        // The latest fit of each interval replaces the earlier ones of that interval.
        const bucket = driftIntervalUs > 0 ? Math.floor(item.hostTime / driftIntervalUs) : null;
        stmt(`INSERT INTO drift (port, boot, source, host_time, ratio, ppm, uncertainty_ppm, samples, span_s, verdict, hint, bucket)
          VALUES (@port, @boot, @source, @host_time, @ratio, @ppm, @uncertainty_ppm, @samples, @span_s, @verdict, @hint, @bucket)
          ON CONFLICT (port, boot, source, bucket) DO UPDATE SET host_time = excluded.host_time, ratio = excluded.ratio,
            ppm = excluded.ppm, uncertainty_ppm = excluded.uncertainty_ppm, samples = excluded.samples, span_s = excluded.span_s,
            verdict = excluded.verdict, hint = excluded.hint`).run({
          port: f.port,
          boot: f.boot,
          source: f.source,
          host_time: item.hostTime,
          ratio: f.ratio,
          ppm: f.ppm,
          uncertainty_ppm: f.uncertaintyPpm,
          samples: f.samples,
          span_s: f.spanS,
          verdict: f.verdict,
          hint: f.hint ?? null,
          bucket,
        });
        return;
      }
      case 'status': {
        const s = item.status;
        const closeOpen = stmt(`UPDATE port_sessions SET closed_at = ?, reason = ? WHERE port = ? AND closed_at IS NULL`);
        if (s.state === 'connected') {
          closeOpen.run(s.hostTime, 'reopened', s.port);
          stmt(`INSERT INTO port_sessions (port, source, opened_at) VALUES (?, ?, ?)`).run(s.port, item.source ?? '', s.hostTime);
        } else {
          closeOpen.run(s.hostTime, s.reason ?? s.state, s.port);
        }
        return;
      }
      case 'alert': {
        const a = item.alert;
        stmt(`INSERT INTO alerts (id, rule, port, kind, state, first_at, last_at, count, title, event_id, resolved_at)
          VALUES (@id, @rule, @port, @kind, @state, @first_at, @last_at, @count, @title, @event_id, @resolved_at)
          ON CONFLICT (id) DO UPDATE SET state = excluded.state, last_at = excluded.last_at, count = excluded.count,
            title = excluded.title, event_id = excluded.event_id, resolved_at = excluded.resolved_at`).run({
          id: a.id,
          rule: a.rule,
          port: a.port,
          kind: a.kind,
          state: a.state,
          first_at: a.firstAt,
          last_at: a.lastAt,
          count: a.count,
          title: a.title,
          event_id: a.eventId,
          resolved_at: a.resolvedAt ?? null,
        });
        return;
      }
    }
  }

  /** WHERE clause and parameters of a filter over a table's port and time columns. */
  function where(filter: HistoryFilter, timeCol: string, kindCol?: string): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (filter.port !== undefined) {
      parts.push('port = ?');
      params.push(filter.port);
    }
    if (filter.since !== undefined) {
      parts.push(`${timeCol} >= ?`);
      params.push(filter.since);
    }
    if (kindCol && filter.kind !== undefined) {
      parts.push(`${kindCol} = ?`);
      params.push(filter.kind);
    }
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
  }

  /** The newest `limit` rows, returned oldest first. */
  function recent<R>(table: string, filter: HistoryFilter, timeCol: string, order: string, kindCol?: string, extra?: { sql: string; param: unknown }): R[] {
    const w = where(filter, timeCol, kindCol);
    let sql = w.sql;
    const params = [...w.params];
    if (extra) {
      sql = sql ? `${sql} AND ${extra.sql}` : `WHERE ${extra.sql}`;
      params.push(extra.param);
    }
    const limit = Math.max(0, Math.floor(filter.limit ?? DEFAULT_LIMIT));
    return stmt(`SELECT * FROM (SELECT rowid AS _r, * FROM ${table} ${sql} ORDER BY ${order} DESC, _r DESC LIMIT ?) ORDER BY ${order} ASC, _r ASC`).all(
      ...params,
      limit,
    ) as R[];
  }

  const history: HistoryQuery = {
    ports: () =>
      (stmt(`SELECT port, source, opened_at, closed_at, reason FROM port_sessions ORDER BY opened_at, id`).all() as SessionRow[]).map((r) => ({
        port: r.port,
        source: r.source,
        openedAt: r.opened_at,
        ...(r.closed_at !== null ? { closedAt: r.closed_at } : {}),
        ...(r.reason !== null ? { reason: r.reason } : {}),
      })),
    boots: (filter = {}) => recent<BootRow>('boots', filter, 'updated_at', 'host_start').map(bootFromRow),
    events: (filter = {}) => recent<EventRow>('events', filter, 'host_time', 'host_time', 'kind').map(eventFromRow),
    drift: (filter = {}) => recent<DriftRow>('drift', filter, 'host_time', 'host_time').map(driftFromRow),
    alerts: (filter = {}) =>
      recent<AlertRow>('alerts', filter, 'last_at', 'first_at', 'kind', filter.state ? { sql: 'state = ?', param: filter.state } : undefined).map(
        alertFromRow,
      ),
  };

  function prune(now: HostTime = clock.now()): PruneResult {
    const cutoff = now - retentionUs;
    let deleted = 0;
    db.transaction(() => {
      deleted += stmt(`DELETE FROM events WHERE host_time < ?`).run(cutoff).changes;
      deleted += stmt(`DELETE FROM boots WHERE updated_at < ?`).run(cutoff).changes;
      deleted += stmt(`DELETE FROM drift WHERE host_time < ?`).run(cutoff).changes;
      deleted += stmt(`DELETE FROM alerts WHERE last_at < ?`).run(cutoff).changes;
      deleted += stmt(`DELETE FROM port_sessions WHERE closed_at IS NOT NULL AND closed_at < ?`).run(cutoff).changes;
    })();
    return { cutoff, deleted };
  }

  let timer: NodeJS.Timeout | undefined;
  if (!options.readonly) {
    prune();
    timer = setInterval(() => {
      try {
        prune();
      } catch {
        // A busy or failing disk must not take the daemon down; the next interval retries.
      }
    }, (options.pruneIntervalSecs ?? 3600) * 1000);
    timer.unref();
  }

  const maxOf = (sql: string, ...params: unknown[]): number | undefined => {
    const row = stmt(sql).get(...params) as { v: number | null } | undefined;
    return row?.v ?? undefined;
  };

  return {
    path,
    history,
    openedAtVersion,
    write(items, lastSeqs) {
      if (!writeTx) throw new Error(`"${path}": store opened read-only`);
      writeTx(items, lastSeqs);
    },
    lastSeq(port) {
      const candidates = [
        maxOf(`SELECT last_seq AS v FROM port_seq WHERE port = ?`, port),
        maxOf(`SELECT seq_last AS v FROM events WHERE port = ? ORDER BY host_time DESC LIMIT 1`, port),
        maxOf(`SELECT first_seq AS v FROM boots WHERE port = ? ORDER BY idx DESC LIMIT 1`, port),
      ].filter((v): v is number => v !== undefined);
      return candidates.length ? Math.max(...candidates) : undefined;
    },
    lastBootIndex(port) {
      return maxOf(`SELECT max(idx) AS v FROM boots WHERE port = ?`, port);
    },
    lastBoot(port) {
      const row = stmt(`SELECT * FROM boots WHERE port = ? ORDER BY idx DESC LIMIT 1`).get(port) as BootRow | undefined;
      return row ? bootFromRow(row) : undefined;
    },
    lastWriteAt() {
      const row = stmt(`SELECT value FROM meta WHERE key = 'last_write_at'`).get() as { value: string } | undefined;
      return row ? Number(row.value) : undefined;
    },
    closeOpenSessions(at, reason) {
      return stmt(`UPDATE port_sessions SET closed_at = max(opened_at, ?), reason = ? WHERE closed_at IS NULL`).run(at, reason).changes;
    },
    prune,
    close() {
      if (timer) clearInterval(timer);
      if (db.open) db.close();
    },
  };
}
