import type { Observable } from 'rxjs';
import type { HostTime } from '../core/host-time.ts';
import type { PortState } from '../core/port-status.ts';

/** What a source emits: bytes with the host time of their read, or a change of state. */
export type SourceItem =
  | { readonly type: 'data'; readonly bytes: Uint8Array; readonly at: HostTime }
  | { readonly type: 'state'; readonly state: PortState; readonly at: HostTime; readonly reason?: string; readonly path?: string };

/**
 * Where bytes come from. `items$` is cold: subscribing opens the port, unsubscribing
 * closes it. A source reopens by itself after an unplug (reporting `retrying`), never
 * waits for anyone downstream (a UART that is not read loses data), and completes only
 * when it can never produce more (a replay at its end: `gone`).
 */
export interface Source {
  readonly kind: 'serial' | 'tcp' | 'replay' | 'sim';
  readonly items$: Observable<SourceItem>;
  /** Writes to the device, where the source can (serial, tcp). */
  write?(bytes: Uint8Array): Promise<void>;
}

/** Reconnect delays: 100 ms doubling to 5 s, ±20 % jitter so many ports do not retry in step. */
export function backoffMs(attempt: number): number {
  const base = Math.min(5000, 100 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
