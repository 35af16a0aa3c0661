/**
 * The dashboard's WebSocket protocol, version 1. The server and the page share these types
 * (the page imports them with `import type` only, so zod never reaches the bundle).
 *
 * Server → client: `snapshot` (whole state), `delta` (what changed since the last batch, at
 * most one per `batch_interval_ms`), `gap` (the client missed data: a snapshot follows),
 * `error`. Client → server: `hello` (first message, with the last seq seen per port to
 * resume without duplicates or holes), `write` (to a serial port, when allowed).
 */
import { z } from 'zod';

import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Level, DeviceTimeSource } from '../core/parsed-record.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { PortInfo, StageStats } from '../pipeline/runtime.ts';
import type { AlertRecord } from '../store/history-query.ts';

export const PROTOCOL_VERSION = 1;

/** One line as the page needs it; `level`/`module`/`dt` come from the line's parsed record. */
export interface WireLine {
  readonly port: string;
  readonly seq: number;
  /** Host time, µs since the epoch. */
  readonly t: HostTime;
  /** ANSI-stripped, secrets redacted. */
  readonly text: string;
  /** With the device's SGR colour sequences, only when the line had any. */
  readonly ansi?: string;
  level?: Level;
  module?: string;
  /** Device time, µs since boot. */
  dt?: number;
  dts?: DeviceTimeSource;
  /** `p` partial, `t` truncated. */
  readonly flags?: string;
}

/** A record parsed after its line was already sent: fills in the line's columns. */
export interface WireNote {
  readonly port: string;
  readonly seq: number;
  readonly level?: Level;
  readonly module?: string;
  readonly dt?: number;
  readonly dts?: DeviceTimeSource;
}

export interface ServerInfo {
  readonly allowWrite: boolean;
  /** True when this connection presented a valid token. */
  readonly authenticated: boolean;
  readonly startedAt: HostTime;
  readonly now: HostTime;
}

export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly v: typeof PROTOCOL_VERSION;
  /** True when `lines` holds exactly what followed the client's resume point (keep what you have). */
  readonly resumed: boolean;
  readonly server: ServerInfo;
  readonly ports: readonly PortInfo[];
  readonly lines: readonly WireLine[];
  readonly boots: readonly Boot[];
  readonly events: readonly BusEvent[];
  readonly alerts: readonly AlertRecord[];
  readonly drift: readonly DriftFit[];
  /** Counters of every pipeline stage and sink: received, delivered, dropped by reason, errors, depth. */
  readonly stages?: StageStats;
}

export interface DeltaMessage {
  readonly type: 'delta';
  readonly v: typeof PROTOCOL_VERSION;
  readonly now: HostTime;
  readonly lines: readonly WireLine[];
  readonly notes: readonly WireNote[];
  readonly events: readonly BusEvent[];
  readonly boots: readonly Boot[];
  readonly drift: readonly DriftFit[];
  readonly alerts: readonly AlertRecord[];
  readonly status: readonly PortStatus[];
  /** Live counters of every port, at most once a second. */
  readonly ports?: readonly PortInfo[];
  /** Live counters of the pipeline's stages and sinks, with `ports`. */
  readonly stages?: StageStats;
}

export type GapReason = 'slow_client' | 'ring_overrun' | 'seq_reset' | 'batch_overflow';

export interface GapMessage {
  readonly type: 'gap';
  readonly v: typeof PROTOCOL_VERSION;
  readonly reason: GapReason;
  /** Ports affected, when known. */
  readonly ports?: readonly string[];
}

export type ErrorCode = 'ERR_BAD_MESSAGE' | 'ERR_WRITE_FORBIDDEN' | 'ERR_WRITE_FAILED' | 'ERR_VERSION';

export interface ErrorMessage {
  readonly type: 'error';
  readonly v: typeof PROTOCOL_VERSION;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface WriteAckMessage {
  readonly type: 'write_ok';
  readonly v: typeof PROTOCOL_VERSION;
  readonly id: number;
}

export type ServerMessage = SnapshotMessage | DeltaMessage | GapMessage | ErrorMessage | WriteAckMessage;

const portName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

export const helloSchema = z.strictObject({
  type: z.literal('hello'),
  v: z.literal(PROTOCOL_VERSION),
  /** Last seq seen per port; lines after it are sent, nothing before. */
  resume: z.record(portName, z.number().int().min(-1)).optional(),
});

export const writeSchema = z.strictObject({
  type: z.literal('write'),
  v: z.literal(PROTOCOL_VERSION),
  id: z.number().int().min(0),
  port: portName,
  /** Text sent as UTF-8, e.g. `AT\r\n`. */
  data: z.string().max(4096),
});

export const clientMessageSchema = z.discriminatedUnion('type', [helloSchema, writeSchema]);

export type HelloMessage = z.infer<typeof helloSchema>;
export type WriteMessage = z.infer<typeof writeSchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;
