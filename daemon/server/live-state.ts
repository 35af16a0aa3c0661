import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { Line } from '../core/line.ts';
import type { ParsedRecord } from '../core/parsed-record.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { BusMessage } from '../pipeline/bus-message.ts';
import type { AlertRecord } from '../store/history-query.ts';
import { redactSecrets } from '../../parsers/redact.ts';
import { LineRing } from './line-ring.ts';
import type { WireLine, WireNote } from './protocol.ts';
import type { Mutable } from '../core/mutable.ts';

export interface LiveStateLimits {
  readonly ringLinesPerPort: number;
  readonly recentEvents: number;
  /** Boots kept per port. */
  readonly bootsPerPort: number;
  /** Lines a pending batch may hold before it is dropped and every client gets a gap. */
  readonly maxPendingLines: number;
}

/** What changed since the last batch was taken. */
export interface PendingDelta {
  lines: WireLine[];
  notes: WireNote[];
  events: BusEvent[];
  boots: Map<string, Boot>;
  drift: Map<string, DriftFit>;
  alerts: Map<string, AlertRecord>;
  status: PortStatus[];
  /** True when lines were dropped because the batch overflowed. */
  overflowed: boolean;
}

function emptyDelta(): PendingDelta {
  return { lines: [], notes: [], events: [], boots: new Map(), drift: new Map(), alerts: new Map(), status: [], overflowed: false };
}

/**
 * Publish order of each line kept, to merge ports back into bus order (host times can tie). A
 * symbol-keyed property on the line itself: JSON.stringify leaves it out of the wire, and unlike
 * the WeakMap it replaces it costs no hash insert per line and no ephemeron work in every GC.
 */
const ARRIVAL = Symbol('arrival');
type OrderedWireLine = WireLine & { [ARRIVAL]?: number };

export function toWireLine(line: Line): WireLine {
  const flags = line.flags.partial || line.flags.truncated ? (line.flags.partial ? 'p' : '') + (line.flags.truncated ? 't' : '') : undefined;
  // The pipeline redacts before publishing (parsers/redact.ts); this repeats it so a
  // password can never reach a browser even if an upstream stage forgot.
  // Every field present from the start (JSON.stringify leaves out the undefined ones): the
  // record's columns, filled in a moment later, then change no object's shape.
  const w: { -readonly [K in keyof WireLine]: WireLine[K] | undefined } = {
    port: line.port, seq: line.seq, t: line.hostTime, text: redactSecrets(line.text),
    ansi: line.ansi === undefined ? undefined : redactSecrets(line.ansi),
    level: undefined, module: undefined, dt: undefined, dts: undefined, flags,
  };
  return w as WireLine;
}

/**
 * The server's view of the bus: a ring of recent lines per port, current boots, recent events,
 * firing alerts and current drift fits (for snapshots), plus the delta accumulated since the
 * last batch. Everything is bounded by {@link LiveStateLimits}.
 */
export class LiveState {
  readonly rings = new Map<string, LineRing>();
  readonly boots = new Map<string, Boot>();
  readonly events: BusEvent[] = [];
  readonly firing = new Map<string, AlertRecord>();
  readonly drift = new Map<string, DriftFit>();
  readonly status = new Map<string, PortStatus>();
  /** seq of the newest line per port already handed out in a batch. */
  readonly #flushedSeq = new Map<string, number>();
  #arrivals = 0;
  /** The newest line of each port, where its record's columns go. */
  readonly #newest = new Map<string, WireLine>();
  #pending: PendingDelta = emptyDelta();
  #pendingCount = 0;

  constructor(readonly limits: LiveStateLimits) {}

  get hasPending(): boolean {
    return this.#pendingCount > 0;
  }

  /** Applies one bus message; returns false for messages the dashboard does not show. */
  apply(msg: BusMessage): boolean {
    switch (msg.type) {
      case 'line':
        return this.#line(msg.line);
      case 'record':
        return this.#record(msg.record);
      case 'event':
        this.events.push(msg.event);
        if (this.events.length > this.limits.recentEvents) this.events.splice(0, this.events.length - this.limits.recentEvents);
        this.#pending.events.push(msg.event);
        break;
      case 'boot':
        this.#boot(msg.boot);
        this.#pending.boots.set(msg.boot.id, msg.boot);
        break;
      case 'drift': {
        const key = `${msg.fit.port}|${msg.fit.source}`;
        this.drift.set(key, msg.fit); // a new boot's fit replaces the previous boot's
        this.#pending.drift.set(key, msg.fit);
        break;
      }
      case 'alert':
        if (msg.alert.state === 'firing') this.firing.set(msg.alert.id, msg.alert);
        else this.firing.delete(msg.alert.id);
        this.#pending.alerts.set(msg.alert.id, msg.alert);
        break;
      case 'status':
        this.status.set(msg.status.port, msg.status);
        this.#pending.status.push(msg.status);
        break;
      default:
        return false;
    }
    this.#pendingCount++;
    return true;
  }

  ring(port: string): LineRing {
    let r = this.rings.get(port);
    if (!r) {
      r = new LineRing(this.limits.ringLinesPerPort);
      this.rings.set(port, r);
    }
    return r;
  }

  #line(line: Line): boolean {
    const w = toWireLine(line);
    if (!this.ring(line.port).push(w)) return false;
    this.#newest.set(line.port, w);
    (w as OrderedWireLine)[ARRIVAL] = this.#arrivals++;
    if (this.#pending.lines.length >= this.limits.maxPendingLines) {
      this.#pending.overflowed = true;
      return false;
    }
    this.#pending.lines.push(w);
    this.#pendingCount++;
    return true;
  }

  #record(rec: ParsedRecord): boolean {
    if (rec.level === undefined && rec.module === undefined && rec.deviceTime === undefined) return false;
    // A record nearly always follows its own line: look there before searching the ring.
    const newest = this.#newest.get(rec.line.port);
    const w = newest?.seq === rec.line.seq ? newest : this.rings.get(rec.line.port)?.get(rec.line.seq);
    if (!w) return false;
    if (w.level !== undefined || w.dt !== undefined) return false; // first record of a line wins
    if (rec.level !== undefined) w.level = rec.level;
    if (rec.module !== undefined) w.module = rec.module;
    if (rec.deviceTime !== undefined) {
      w.dt = rec.deviceTime.us;
      w.dts = rec.deviceTime.source;
    }
    // Still in the pending batch: the shared object now carries the columns. Already sent: a note.
    if (rec.line.seq > (this.#flushedSeq.get(rec.line.port) ?? -Infinity)) return true;
    const note: Mutable<WireNote> = { port: w.port, seq: w.seq };
    if (w.level !== undefined) note.level = w.level;
    if (w.module !== undefined) note.module = w.module;
    if (w.dt !== undefined) note.dt = w.dt;
    if (w.dts !== undefined) note.dts = w.dts;
    this.#pending.notes.push(note);
    this.#pendingCount++;
    return true;
  }

  #boot(boot: Boot): void {
    this.boots.set(boot.id, boot);
    const ofPort = [...this.boots.values()].filter((b) => b.port === boot.port);
    if (ofPort.length > this.limits.bootsPerPort) {
      ofPort.sort((a, b) => a.index - b.index);
      for (const old of ofPort.slice(0, ofPort.length - this.limits.bootsPerPort)) this.boots.delete(old.id);
    }
  }

  /** Hands out the pending delta and starts a new one. */
  take(): PendingDelta {
    const d = this.#pending;
    this.#pending = emptyDelta();
    this.#pendingCount = 0;
    for (const l of d.lines) this.#flushedSeq.set(l.port, l.seq);
    return d;
  }

  /** The recent lines of every port (the newest `perPort` each), merged in host-time order. */
  recentLines(perPort: number): WireLine[] {
    const out: WireLine[] = [];
    for (const r of this.rings.values()) out.push(...r.last(perPort));
    return this.inBusOrder(out);
  }

  /** Sorts lines of several ports into the order the bus published them. */
  inBusOrder(lines: WireLine[]): WireLine[] {
    return lines.sort((a, b) => ((a as OrderedWireLine)[ARRIVAL] ?? 0) - ((b as OrderedWireLine)[ARRIVAL] ?? 0));
  }
}
