import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { Line } from '../core/line.ts';
import type { ParsedRecord } from '../core/parsed-record.ts';
import type { BusMessage } from '../pipeline/bus-message.ts';
import type { WifiBootState } from '../analyzers/esp-wifi-tracker.ts';
import { wifiOutcome } from '../analyzers/esp-wifi-tracker.ts';
import type { AnalyzeReport, ReportBoot, ReportSource, ReportWifi } from './analyze-report.ts';

export interface ReportCollectorOptions {
  /** Events kept for the report; beyond it they are counted, not kept (memory bounded by configuration). */
  readonly maxEvents?: number;
  /** Recent lines kept per port, to show an event's lines in the text report. */
  readonly recentLines?: number;
  /** Most lines shown per event. */
  readonly linesPerEvent?: number;
}

/**
 * Collects what the analyzers publish into the report. It holds only boots, events, the last
 * drift fit per series and a short ring of recent lines per port, never the whole input, so
 * analyze runs in constant memory whatever the file size.
 */
export class ReportCollector {
  readonly #boots = new Map<string, Boot>();
  readonly #events: BusEvent[] = [];
  readonly #eventLines = new Map<string, string[]>();
  readonly #drift = new Map<string, DriftFit>();
  readonly #recent = new Map<string, Line[]>();
  readonly #byLevel = { err: 0, wrn: 0, inf: 0, dbg: 0 };
  #total = 0;
  eventsDropped = 0;
  readonly #maxEvents: number;
  readonly #recentLines: number;
  readonly #linesPerEvent: number;

  constructor(options: ReportCollectorOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 50_000;
    this.#recentLines = options.recentLines ?? 64;
    this.#linesPerEvent = options.linesPerEvent ?? 12;
  }

  line(line: Line): void {
    this.#total++;
    let ring = this.#recent.get(line.port);
    if (!ring) this.#recent.set(line.port, (ring = []));
    ring.push(line);
    if (ring.length > this.#recentLines) ring.shift();
  }

  record(record: ParsedRecord): void {
    if (record.level !== undefined) this.#byLevel[record.level]++;
  }

  readonly publish = (message: BusMessage): void => {
    switch (message.type) {
      case 'boot':
        this.#boots.set(message.boot.id, message.boot);
        break;
      case 'event': {
        if (this.#events.length >= this.#maxEvents) {
          this.eventsDropped++;
          break;
        }
        const e = message.event;
        this.#events.push(e);
        const ring = this.#recent.get(e.lines.port) ?? [];
        const texts = ring.filter((l) => l.seq >= e.lines.first && l.seq <= e.lines.last).map((l) => l.text);
        this.#eventLines.set(e.id, texts.length > this.#linesPerEvent ? [...texts.slice(0, this.#linesPerEvent - 1), `… (${texts.length - this.#linesPerEvent + 1} more lines)`] : texts);
        break;
      }
      case 'drift':
        this.#drift.set(`${message.fit.port}\u0000${message.fit.boot}\u0000${message.fit.source}`, message.fit);
        break;
      default:
        break;
    }
  };

  /** The text of an event's lines, when they were still in the recent-lines ring. */
  linesOf(eventId: string): readonly string[] {
    return this.#eventLines.get(eventId) ?? [];
  }

  report(sources: ReportSource[], wifi: readonly WifiBootState[]): AnalyzeReport {
    const boots: ReportBoot[] = [...this.#boots.values()].map((b) => ({
      port: b.port,
      index: b.index,
      version: b.version ?? null,
      hostStart: b.hostStart,
      endReason: b.endReason,
      id: b.id,
      kind: b.kind,
      banner: b.banner ?? null,
      firstSeq: b.firstSeq,
      milestones: b.milestones,
    }));
    const events = this.#events.map((e, i) => [e, i] as const).sort((a, b) => a[0].hostTime - b[0].hostTime || a[1] - b[1]).map(([e]) => e);
    const wifiOut: ReportWifi[] = wifi.map((s) => ({
      port: s.port,
      boot: s.boot,
      outcome: wifiOutcome(s),
      errno: s.lastErrno ?? null,
      errnoName: s.lastErrnoName ?? null,
      ip: s.ip ?? null,
      ssid: s.ssid ?? null,
      phase: s.phase,
      resetAttempts: s.resetAttempts,
    }));
    return {
      schema: 'uartscope.report/1',
      sources,
      lines: { total: this.#total, byLevel: { ...this.#byLevel } },
      boots,
      events,
      drift: [...this.#drift.values()],
      wifi: wifiOut,
      eventsDropped: this.eventsDropped,
    };
  }
}
