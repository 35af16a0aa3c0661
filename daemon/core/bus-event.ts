import type { HostTime } from './host-time.ts';
import type { FieldValue } from './parsed-record.ts';

/** Event kinds of DESIGN.md; user rules add their own dotted kinds. */
export const EVENT_KINDS = [
  'boot', 'reboot', 'fault', 'assert', 'hv.error', 'esp.reset_failed', 'wifi.connect_failed',
  'wifi.connected', 'dhcp.bound', 'clock.drift', 'log.dropped', 'port.disconnected',
  'port.reconnected', 'port.garbled', 'uart.shared', 'stall',
] as const;
export type KnownEventKind = (typeof EVENT_KINDS)[number];
export type EventKind = KnownEventKind | (string & {});

export type Severity = 'critical' | 'error' | 'warning' | 'info';

/** Lifecycle of a condition event (`clock.drift`, `stall`): raised once, updated, cleared. */
export type EventState = 'raised' | 'updated' | 'cleared';

/** A range of `seq` on one port: the lines an event came from. */
export interface LineRange {
  readonly port: string;
  readonly first: number;
  readonly last: number;
}

/** `Event` of DESIGN.md (named so it does not shadow the DOM's `Event`). */
export interface BusEvent {
  readonly id: string;
  readonly kind: EventKind;
  readonly severity: Severity;
  readonly port: string;
  /** Boot id, or null before the port's first boot is known. */
  readonly boot: string | null;
  readonly hostTime: HostTime;
  /** Device time in µs since boot, when the source line carried one. */
  readonly deviceTime?: number;
  readonly title: string;
  readonly attrs: Readonly<Record<string, FieldValue>>;
  readonly hint?: string;
  readonly lines: LineRange;
  readonly state?: EventState;
}
