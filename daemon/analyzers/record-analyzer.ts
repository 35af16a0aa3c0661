import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { ParsedRecord } from '../core/parsed-record.ts';
import type { PortRole } from '../core/port-role.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { Config } from '../config/schema.ts';

/** What an analyzer may see and do, per port. */
export interface AnalyzerContext {
  readonly port: string;
  readonly role: PortRole;
  readonly config: Config;
  /** The boot the port is in now (null before anything was seen). */
  currentBoot(): Boot | null;
  /** Publishes an event; the id is assigned here. */
  emitEvent(event: Omit<BusEvent, 'id'>): BusEvent;
  emitBoot(boot: Boot): void;
  emitDrift(fit: DriftFit): void;
}

/**
 * A stateful, per-port analyzer. All hooks are synchronous and must not throw (the
 * composition catches and counts anyway). Order per port: the boot tracker first, so
 * `currentBoot()` is right for every later analyzer.
 */
export interface RecordAnalyzer {
  readonly name: string;
  onLine?(line: Line, ctx: AnalyzerContext): void;
  onRecord?(record: ParsedRecord, ctx: AnalyzerContext): void;
  onStatus?(status: PortStatus, ctx: AnalyzerContext): void;
  /** A new boot began (after the previous one ended). */
  onBootStart?(boot: Boot, ctx: AnalyzerContext): void;
  /** About once a second, for time-based conditions (stall). */
  onTick?(now: HostTime, ctx: AnalyzerContext): void;
  /** End of input (analyze) or shutdown. */
  end?(now: HostTime, ctx: AnalyzerContext): void;
}
