import type { BootEndReason, Milestone } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { HostTime } from '../core/host-time.ts';
import type { PortRole } from '../core/port-role.ts';
import type { WifiOutcome, WifiPhase } from '../analyzers/esp-wifi-tracker.ts';

/**
 * `uartscope analyze --json`: the `uartscope.report/1` object of DESIGN.md. Scripts and CI
 * jobs read it, so fields are only ever added. Times are host time in µs since the epoch
 * (the `HostTime` of every core shape).
 */
export interface AnalyzeReport {
  readonly schema: 'uartscope.report/1';
  readonly sources: ReportSource[];
  readonly lines: { total: number; byLevel: { err: number; wrn: number; inf: number; dbg: number } };
  readonly boots: ReportBoot[];
  readonly events: BusEvent[];
  readonly drift: DriftFit[];
  readonly wifi: ReportWifi[];
  /** Events not kept because the report reached its event limit (0 normally). */
  readonly eventsDropped: number;
}

export interface ReportSource {
  readonly file: string;
  readonly port: string;
  readonly role: PortRole;
  /** Capture format the file was read as (`uartscope`, `tio`, `plain`, …). */
  readonly format: string;
  readonly lines: number;
  readonly bytes: number;
  /**
   * Whether the capture carried host times: `real` (dated stamps), `relative` (elapsed or
   * time-of-day stamps: durations are real), `none` (plain text: host times are made up, so no
   * host durations and no drift are reported for it).
   */
  readonly hostTimes: 'real' | 'relative' | 'none';
}

export interface ReportBoot {
  readonly port: string;
  readonly index: number;
  readonly version: string | null;
  readonly hostStart: HostTime;
  readonly endReason: BootEndReason;
  readonly id: string;
  readonly kind: string;
  readonly banner: string | null;
  readonly firstSeq: number;
  readonly milestones: Milestone[];
}

export interface ReportWifi {
  readonly port: string;
  /** Boot id (as in `events[].boot`). */
  readonly boot: string | null;
  readonly outcome: WifiOutcome;
  readonly errno: number | null;
  readonly errnoName: string | null;
  readonly ip: string | null;
  readonly ssid: string | null;
  readonly phase: WifiPhase;
  readonly resetAttempts: number;
}

/** Ajv-free shape check of a parsed report (used by tests and by scripts' smoke checks). */
export function isAnalyzeReport(v: unknown): v is AnalyzeReport {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const lines = r['lines'] as Record<string, unknown> | undefined;
  const byLevel = lines?.['byLevel'] as Record<string, unknown> | undefined;
  return (
    r['schema'] === 'uartscope.report/1' &&
    Array.isArray(r['sources']) &&
    typeof lines?.['total'] === 'number' &&
    ['err', 'wrn', 'inf', 'dbg'].every((k) => typeof byLevel?.[k] === 'number') &&
    Array.isArray(r['boots']) &&
    Array.isArray(r['events']) &&
    Array.isArray(r['drift']) &&
    Array.isArray(r['wifi'])
  );
}
