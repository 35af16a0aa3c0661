import type { HostTime } from './host-time.ts';
import type { FieldValue } from './parsed-record.ts';

export type BootEndReason = 'running' | 'reboot' | 'fault' | 'hv.error' | 'disconnected' | 'end';

export interface Milestone {
  /** `banner`, `esp.ready`, `wifi.connected`, `dhcp.bound`, or a user milestone name. */
  readonly name: string;
  readonly hostTime: HostTime;
  /** µs since boot on the device clock, when the line carried a device time. */
  readonly deviceTime?: number;
  readonly seq: number;
}

/** One device run: from a boot banner (or the first line) to the next reboot. */
export interface Boot {
  readonly id: string;
  readonly port: string;
  /** 0-based index of this boot on this port. */
  readonly index: number;
  readonly hostStart: HostTime;
  readonly firstSeq: number;
  banner?: string;
  version?: string;
  /** `zephyr`, `ncs`, `mcuboot`, `bao`, `crosscon`, or `unknown` for a run without a banner yet. */
  kind: string;
  milestones: Milestone[];
  endReason: BootEndReason;
  /** Analyzer state of this run, e.g. the Wi-Fi/ESP state (`wifi.phase`, `wifi.ssid`, `wifi.ip`, `esp.resetAttempts`). */
  attrs?: Record<string, FieldValue>;
}
