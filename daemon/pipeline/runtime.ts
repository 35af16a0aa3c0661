import type { PortState } from '../core/port-status.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Config } from '../config/schema.ts';
import type { QueueStats } from './bounded-queue.ts';
import type { HistoryQuery } from '../store/history-query.ts';

import type { PortRole } from '../core/port-role.ts';
export type { PortRole };

/** What the daemon knows of one configured port, live. */
export interface PortInfo {
  readonly name: string;
  readonly role: PortRole;
  /** The source as configured: a device path, `tcp://…`, `replay:…`, `sim:…`, or `usb:VID:PID[:SERIAL]`. */
  readonly source: string;
  readonly baud: number;
  state: PortState;
  /** The device path currently open (after USB matching), when connected. */
  path?: string;
  lastError?: string;
  lines: number;
  bytes: number;
  lastLineAt?: HostTime;
  /** Lines cut at the length limit, flushed partial, and dropped by a full stage queue. */
  truncated: number;
  partial: number;
  dropped: number;
  reconnects: number;
}

/** Per-stage counters of the pipeline (received, dropped with reason, errors). */
export interface StageStats {
  readonly [stage: string]: QueueStats;
}

/** What sinks may read of the running daemon. */
export interface Runtime {
  readonly config: Config;
  readonly dataDir: string;
  ports(): readonly PortInfo[];
  stages(): StageStats;
  /** The store's query layer, when the store is enabled. */
  readonly history?: HistoryQuery;
  readonly startedAt: HostTime;
  /** Writes bytes to a port's device (only serial/tcp sources can be written). Rejects with a reason otherwise. */
  writePort(port: string, bytes: Uint8Array): Promise<void>;
}
