import type { Observable, Subscriber } from 'rxjs';
import type { HostClock } from '../core/host-time.ts';
import type { HostTime } from '../core/host-time.ts';
import type { PortState } from '../core/port-status.ts';

/**
 * What a source emits: bytes with the host time of their read, or a change of state. `bytes` is
 * valid only during the call (a serial source reuses its read buffer): copy what is kept.
 */
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

/**
 * State reports of a reconnecting source: `connected` (with `reconnected` after the first
 * time), and `retrying` once per distinct reason, so a port missing for hours is one state,
 * not one report per attempt.
 */
export function stateReporter(sub: Subscriber<SourceItem>, clock: HostClock) {
  let lastReason = '';
  let wasConnected = false;
  return {
    connected(path: string): void {
      lastReason = '';
      sub.next({ type: 'state', state: 'connected', at: clock.now(), path, ...(wasConnected ? { reason: 'reconnected' } : {}) });
      wasConnected = true;
    },
    retrying(reason: string): void {
      if (reason === lastReason) return;
      lastReason = reason;
      sub.next({ type: 'state', state: 'retrying', at: clock.now(), reason });
    },
  };
}
