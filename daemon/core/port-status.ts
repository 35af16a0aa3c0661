import type { HostTime } from './host-time.ts';

/** `connected`: reading. `retrying`: missing, unplugged or failing to open, retried with backoff. `gone`: will not come back (replay ended, stopped). */
export type PortState = 'connected' | 'retrying' | 'gone';

export interface PortStatus {
  readonly port: string;
  readonly state: PortState;
  readonly hostTime: HostTime;
  /** Why: the open error (`EACCES`…), `disconnected`, `end of file`. */
  readonly reason?: string;
}
