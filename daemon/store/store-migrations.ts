import type Database from 'better-sqlite3';

/**
 * The store's schema history. Entry i takes a database from `user_version` i to i+1; a
 * migration is never edited once released, only appended to, so a store written by any
 * older uartscope opens in a newer one (SQLite's `user_version` pragma is free for
 * applications: https://sqlite.org/pragma.html#pragma_user_version).
 */
export const MIGRATIONS: readonly string[] = [
  // v1: port sessions, boots, events, drift fits, alerts.
  `
  CREATE TABLE port_sessions (
    id INTEGER PRIMARY KEY,
    port TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    reason TEXT
  );
  CREATE INDEX port_sessions_port ON port_sessions (port, opened_at);

  CREATE TABLE boots (
    id TEXT PRIMARY KEY,
    port TEXT NOT NULL,
    idx INTEGER NOT NULL,
    host_start INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    banner TEXT,
    version TEXT,
    end_reason TEXT NOT NULL,
    milestones TEXT NOT NULL DEFAULT '[]',
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX boots_port_idx ON boots (port, idx);
  CREATE INDEX boots_updated ON boots (updated_at);

  CREATE TABLE events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    port TEXT NOT NULL,
    boot TEXT,
    host_time INTEGER NOT NULL,
    device_time INTEGER,
    title TEXT NOT NULL,
    hint TEXT,
    state TEXT,
    lines_port TEXT NOT NULL,
    seq_first INTEGER NOT NULL,
    seq_last INTEGER NOT NULL,
    attrs TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX events_time ON events (host_time);
  CREATE INDEX events_port_time ON events (port, host_time);
  CREATE INDEX events_kind_time ON events (kind, host_time);

  CREATE TABLE drift (
    id INTEGER PRIMARY KEY,
    port TEXT NOT NULL,
    boot TEXT NOT NULL,
    source TEXT NOT NULL,
    host_time INTEGER NOT NULL,
    ratio REAL NOT NULL,
    ppm REAL NOT NULL,
    uncertainty_ppm REAL NOT NULL,
    samples INTEGER NOT NULL,
    span_s REAL NOT NULL,
    verdict TEXT NOT NULL,
    hint TEXT
  );
  CREATE INDEX drift_time ON drift (host_time);

  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    port TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    count INTEGER NOT NULL,
    title TEXT NOT NULL,
    event_id TEXT NOT NULL
  );
  CREATE INDEX alerts_last ON alerts (last_at);
  `,
  // v2: line-seq continuation for a restarted daemon, alert resolve time, boot attrs, and at most one
  // drift row per series and interval (rows from v1 get a NULL bucket: NULLs never collide
  // in a UNIQUE index, so every old row is kept).
  `
  CREATE TABLE port_seq (
    port TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;
  ALTER TABLE boots ADD COLUMN attrs TEXT;
  ALTER TABLE drift ADD COLUMN bucket INTEGER;
  CREATE UNIQUE INDEX drift_series_bucket ON drift (port, boot, source, bucket);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class StoreVersionError extends Error {
  readonly code = 'ERR_STORE_TOO_NEW';
}

/** Brings the database to {@link SCHEMA_VERSION}, each step in its own transaction. Returns the version found. */
export function migrate(db: Database.Database, upTo: number = SCHEMA_VERSION): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > SCHEMA_VERSION) {
    throw new StoreVersionError(`"${db.name}": store schema v${found} is newer than this uartscope understands (v${SCHEMA_VERSION}); upgrade uartscope or use another data dir`);
  }
  for (let v = found; v < upTo; v++) {
    const sql = MIGRATIONS[v];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return found;
}
