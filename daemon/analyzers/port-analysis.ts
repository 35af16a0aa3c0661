import { randomUUID } from 'node:crypto';

import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { ParsedRecord } from '../core/parsed-record.ts';
import type { PortRole } from '../core/port-role.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { Config } from '../config/schema.ts';
import type { BusMessage } from '../pipeline/bus-message.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import { AssertDetector } from './assert-detector.ts';
import { BootTracker } from './boot-tracker.ts';
import { DroppedDetector } from './dropped-detector.ts';
import { EspWifiTracker, type WifiBootState } from './esp-wifi-tracker.ts';
import { FaultDetector } from './fault-detector.ts';
import { GarbledDetector } from './garbled-detector.ts';
import { HvErrorDetector } from './hv-error-detector.ts';
import { PortStatusDetector } from './port-status-detector.ts';
import { RuleAnalyzer } from './rule-analyzer.ts';
import { SharedUartDetector } from './shared-uart-detector.ts';
import { StallDetector } from './stall-detector.ts';

export interface PortAnalysisOptions {
  readonly port: string;
  readonly role: PortRole;
  readonly config: Config;
  readonly publish: (message: BusMessage) => void;
  /** Run after the built-in analyzers (the drift fitter plugs in here). */
  readonly extraAnalyzers?: RecordAnalyzer[];
  readonly nextEventId?: () => string;
  /** Index of the first boot (a restarted daemon continues the port's numbering from the store). */
  readonly startBootIndex?: number;
  /** False when line host times are not arrival times (a capture without timestamps): host durations are then not reported. */
  readonly hostTimesReal?: boolean;
}

export interface PortAnalysisStats {
  /** Throws caught from analyzer hooks, in total and by analyzer name. */
  readonly errors: number;
  readonly errorsBy: Readonly<Record<string, number>>;
  readonly events: number;
}

export interface PortAnalysis {
  onLine(line: Line): void;
  onRecord(record: ParsedRecord): void;
  onStatus(status: PortStatus): void;
  onTick(now: HostTime): void;
  end(now: HostTime): void;
  currentBoot(): Boot | null;
  /** Wi-Fi/ESP state of every boot with Wi-Fi activity (for the report). */
  wifi(): readonly WifiBootState[];
  stats(): PortAnalysisStats;
}

/** A copy safe to hand to sinks: the tracker keeps mutating its own boot object. */
function snapshot(boot: Boot): Boot {
  return { ...boot, milestones: [...boot.milestones], ...(boot.attrs ? { attrs: { ...boot.attrs } } : {}) };
}

/**
 * All analysis of one port: the boot tracker first (so `currentBoot()` is right for the rest),
 * the Wi-Fi/ESP state machine, the failure detectors, the user rules, then `extraAnalyzers`.
 * A hook that throws is caught and counted; it never stops the port (style.md §8 principle 6).
 */
export function createPortAnalysis(options: PortAnalysisOptions): PortAnalysis {
  const { port, role, config, publish } = options;
  const a = config.analyzers;
  const idPrefix = randomUUID().slice(0, 8);
  let counter = 0;
  const nextEventId = options.nextEventId ?? (() => `${idPrefix}-${++counter}`);
  let events = 0;
  let errors = 0;
  const errorsBy: Record<string, number> = {};

  const ctx: AnalyzerContext = {
    port,
    role,
    config,
    currentBoot: () => tracker.current(),
    emitEvent(draft: Omit<BusEvent, 'id'>): BusEvent {
      // An event whose lines began before the current boot belongs to the boot of those lines.
      const current = tracker.current();
      const boot = current && draft.lines.first < current.firstSeq && draft.boot === current.id ? tracker.bootIdAt(draft.lines.first) : draft.boot;
      const event: BusEvent = { id: nextEventId(), ...draft, boot };
      events++;
      publish({ type: 'event', event });
      return event;
    },
    emitBoot(boot: Boot): void {
      publish({ type: 'boot', boot: snapshot(boot) });
    },
    emitDrift(fit: DriftFit): void {
      publish({ type: 'drift', fit });
    },
  };

  function failed(analyzer: RecordAnalyzer): void {
    errors++;
    errorsBy[analyzer.name] = (errorsBy[analyzer.name] ?? 0) + 1;
  }

  function guard(analyzer: RecordAnalyzer, call: () => void): void {
    try {
      call();
    } catch {
      failed(analyzer);
    }
  }

  const tracker: BootTracker = new BootTracker({
    port,
    startBootIndex: options.startBootIndex ?? 0,
    rebootBackwardsToleranceUs: a.reboot_backwards_tolerance_ms * 1000,
    onBootStart: (boot) => {
      for (const analyzer of rest) if (analyzer.onBootStart) guard(analyzer, () => analyzer.onBootStart?.(boot, ctx));
    },
  });
  const wifi = new EspWifiTracker({ tracker, hostTimesReal: options.hostTimesReal ?? true, disagreementRatio: a.clock_disagreement_ratio });
  const rest: RecordAnalyzer[] = [
    wifi,
    new FaultDetector(tracker),
    new AssertDetector(),
    new HvErrorDetector(tracker),
    new DroppedDetector(),
    new GarbledDetector({
      windowLines: a.garbled_window_lines,
      minBytes: a.garbled_min_bytes,
      raiseRatio: a.garbled_raise_ratio,
      clearRatio: a.garbled_clear_ratio,
      espNoiseLines: a.esp_boot_noise_lines,
    }),
    new SharedUartDetector(a.shared_uart_min_lines),
    new StallDetector({
      silenceMs: a.stall_silence_ms,
      ...(a.stall_expected_milestones ? { expectedMilestones: a.stall_expected_milestones } : {}),
      ruleMilestones: config.rules,
      tracker,
      wifi,
    }),
    new PortStatusDetector(tracker),
    new RuleAnalyzer(config.rules, port, tracker),
    ...(options.extraAnalyzers ?? []),
  ];
  const all: RecordAnalyzer[] = [tracker, ...rest];

  return {
    // Per line, so without guard(): a closure per analyzer per line was ~900 bytes of garbage a line
    // (the largest allocation on the analysis thread at 25,000 lines/s).
    onLine(line) {
      for (let k = 0; k < all.length; k++) {
        const analyzer = all[k]!;
        if (!analyzer.onLine) continue;
        try {
          analyzer.onLine(line, ctx);
        } catch {
          failed(analyzer);
        }
      }
    },
    onRecord(record) {
      for (let k = 0; k < all.length; k++) {
        const analyzer = all[k]!;
        if (!analyzer.onRecord) continue;
        try {
          analyzer.onRecord(record, ctx);
        } catch {
          failed(analyzer);
        }
      }
    },
    onStatus(status) {
      for (const analyzer of all) if (analyzer.onStatus) guard(analyzer, () => analyzer.onStatus?.(status, ctx));
    },
    onTick(now) {
      for (const analyzer of all) if (analyzer.onTick) guard(analyzer, () => analyzer.onTick?.(now, ctx));
    },
    end(now) {
      // The tracker ends last, so events raised at the end still belong to the open boot.
      for (const analyzer of rest) if (analyzer.end) guard(analyzer, () => analyzer.end?.(now, ctx));
      guard(tracker, () => tracker.end(now, ctx));
    },
    currentBoot: () => tracker.current(),
    wifi: () => wifi.states(),
    stats: () => ({ errors, errorsBy: { ...errorsBy }, events }),
  };
}
