import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import { formatHostTime, hostClock, parseHostTime, type HostTime } from '../core/host-time.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';
import { openStore, storePath } from '../store/store.ts';

export interface HistoryIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

const USAGE = `usage: uartscope history [--config FILE] [--data DIR] [--port P] [--since T] [--kind K] [--limit N] [--json]
  --config F   the daemon's config: its data.dir and store.file say where the store is
  --data DIR   data directory of the daemon (default: data.dir of --config, else ./uartscope-data);
               the store is DIR/uartscope.db, or store.file of --config
  --port P     only this port
  --since T    an ISO time (2026-11-24T23:00:00Z) or a duration back from now (90s, 30m, 2h, 7d)
  --kind K     only events of this kind (boots are then not listed)
  --limit N    the N most recent boots and events (default 1000)
  --json       one JSON object: {schema, store, boots, events}
`;

const UNIT_US: Record<string, number> = { ms: 1e3, s: 1e6, m: 60e6, h: 3600e6, d: 86_400e6, w: 604_800e6 };

/** `2h`, `30m`, `1.5d` back from `now`, or an ISO time; undefined when it is neither. */
export function parseSince(text: string, now: HostTime): HostTime | undefined {
  const d = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (d) return now - Math.round(Number(d[1]) * (UNIT_US[d[2] ?? 's'] ?? 1e6));
  const exact = parseHostTime(text);
  if (exact !== undefined) return exact;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms * 1000;
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

function bootRows(boots: Boot[]): string[][] {
  return [
    ['PORT', 'BOOT', 'STARTED', 'KIND', 'VERSION', 'END', 'MILESTONES'],
    ...boots.map((b) => [b.port, String(b.index), formatHostTime(b.hostStart), b.kind, b.version ?? '-', b.endReason, b.milestones.map((m) => m.name).join(', ') || '-']),
  ];
}

function eventRows(events: BusEvent[]): string[][] {
  return [
    ['TIME', 'PORT', 'SEVERITY', 'KIND', 'TITLE'],
    ...events.map((e) => [formatHostTime(e.hostTime), e.port, e.severity, e.state ? `${e.kind} (${e.state})` : e.kind, e.title]),
  ];
}

/** `uartscope history`: boots and events from the store, as a table or JSON. Exit 0, 1 (store unreadable) or 2 (usage, no store). */
export async function runHistory(argv: string[], io: HistoryIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        data: { type: 'string' },
        port: { type: 'string' },
        since: { type: 'string' },
        kind: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr.write(`uartscope history: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let since: HostTime | undefined;
  if (values.since !== undefined) {
    since = parseSince(values.since, hostClock.now());
    if (since === undefined) {
      io.stderr.write(`uartscope history: "--since" must be an ISO time or a duration like 30m, 2h, 7d; got "${values.since}"\n`);
      return 2;
    }
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      io.stderr.write(`uartscope history: "--limit" must be a positive integer; got "${values.limit}"\n`);
      return 2;
    }
  }

  // The same store the daemon writes: a config's store.file (relative to its data dir) counts.
  let config: Config | undefined;
  if (values.config !== undefined) {
    try {
      config = loadConfig(values.config);
    } catch (err) {
      io.stderr.write(`uartscope history: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const path = storePath(values.data ?? config?.data.dir ?? './uartscope-data', config?.store.file);
  if (!existsSync(path)) {
    io.stderr.write(`uartscope history: no store at ${path}; run the daemon with the store enabled first, or point --data at its data directory\n`);
    return 2;
  }
  let store;
  try {
    store = openStore(path, { readonly: true });
  } catch (err) {
    io.stderr.write(`uartscope history: cannot read ${path}: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const filter = {
      ...(values.port !== undefined ? { port: values.port } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(limit !== undefined ? { limit } : {}),
    };
    const boots = values.kind === undefined ? store.history.boots(filter) : [];
    const events = store.history.events({ ...filter, ...(values.kind !== undefined ? { kind: values.kind } : {}) });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ schema: 'uartscope.history/1', store: path, boots, events }, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [];
    if (values.kind === undefined) out.push(`Boots (${boots.length})`, boots.length ? table(bootRows(boots)) : '  none', '');
    out.push(`Events (${events.length})`, events.length ? table(eventRows(events)) : '  none', '');
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`uartscope history: reading ${path} failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    store.close();
  }
}
