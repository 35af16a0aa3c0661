import type { Boot } from '../core/boot.ts';
import type { BusEvent, EventKind } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { HostTime } from '../core/host-time.ts';

export interface HistoryFilter {
  readonly port?: string;
  /** Host time (µs since epoch) lower bound, inclusive. */
  readonly since?: HostTime;
  readonly kind?: EventKind;
  /** At most this many rows, the most recent ones (returned oldest first). Default 1000. */
  readonly limit?: number;
}

export interface PortSession {
  readonly port: string;
  readonly source: string;
  readonly openedAt: HostTime;
  readonly closedAt?: HostTime;
  readonly reason?: string;
}

export interface StoredDriftFit extends DriftFit {
  readonly hostTime: HostTime;
}

export interface AlertRecord {
  readonly id: string;
  readonly rule: string;
  readonly port: string;
  readonly kind: EventKind;
  readonly state: 'firing' | 'resolved';
  readonly firstAt: HostTime;
  readonly lastAt: HostTime;
  readonly count: number;
  readonly title: string;
  readonly eventId: string;
  /** When the alert resolved (a `cleared` event, or `cooldown_secs` without a repeat). */
  readonly resolvedAt?: HostTime;
}

/** The query layer over the embedded store, used by `uartscope history` and the dashboard's HTTP API. */
export interface HistoryQuery {
  ports(): PortSession[];
  boots(filter?: HistoryFilter): Boot[];
  events(filter?: HistoryFilter): BusEvent[];
  drift(filter?: HistoryFilter): StoredDriftFit[];
  alerts(filter?: HistoryFilter & { readonly state?: 'firing' | 'resolved' }): AlertRecord[];
}
