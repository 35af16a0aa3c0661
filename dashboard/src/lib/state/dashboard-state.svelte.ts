import type { Boot } from '../../../../daemon/core/boot.ts';
import type { BusEvent, LineRange } from '../../../../daemon/core/bus-event.ts';
import type { DriftFit } from '../../../../daemon/core/drift-fit.ts';
import type { PortInfo, StageStats } from '../../../../daemon/pipeline/runtime.ts';
import type { DeltaMessage, HelloMessage, ServerInfo, ServerMessage, SnapshotMessage, WireLine } from '../../../../daemon/server/protocol.ts';
import type { AlertRecord } from '../../../../daemon/store/history-query.ts';
import { Connection } from './connection.svelte.ts';
import { LogStore } from './log-store.svelte.ts';

const MAX_EVENTS = 2000;
const MAX_POINTS = 4000;
const MAX_QUEUED_MESSAGES = 2000;

/** Device-vs-host points of one port and time source (seconds), for the clock chart. */
export interface DriftSeries {
  readonly key: string;
  readonly port: string;
  readonly source: string;
  host: number[];
  device: number[];
}

export interface PortRates {
  readonly linesPerS: number;
  readonly bytesPerS: number;
}

/**
 * Everything the page shows, fed by the WebSocket. Incoming messages are queued and applied
 * once per animation frame (or every 250 ms while the tab is hidden, when frames stop), so
 * 5,000 lines/s cost one reactive update per frame, not one per line.
 */
export class DashboardState {
  readonly log = new LogStore(100_000);
  readonly connection: Connection;
  ports = $state.raw<readonly PortInfo[]>([]);
  /** Counters of the pipeline's stages and sinks (drops by reason: a down OTLP endpoint shows here). */
  stages = $state.raw<StageStats>({});
  rates = $state.raw<Readonly<Record<string, PortRates>>>({});
  events = $state.raw<readonly BusEvent[]>([]);
  alerts = $state.raw<readonly AlertRecord[]>([]);
  boots = $state.raw<readonly Boot[]>([]);
  drift = $state.raw<readonly DriftFit[]>([]);
  series = $state.raw<readonly DriftSeries[]>([]);
  server = $state.raw<ServerInfo | null>(null);
  /** Host time (µs) the server last reported, and the local time we got it: "time since last line". */
  serverNow = $state(0);
  gaps = $state(0);
  lastGap = $state<string | null>(null);
  /** Lines an event points at: highlighted and scrolled to. */
  highlight = $state.raw<LineRange | null>(null);
  /** Why the last reveal found nothing, or the server's last error reply (a refused write). */
  notice = $state<string | null>(null);
  revealRequest = $state(0);

  #queue: ServerMessage[] = [];
  #scheduled = false;
  #series = new Map<string, DriftSeries>();
  #prevPorts = new Map<string, { lines: number; bytes: number; at: number }>();

  constructor(url: string) {
    this.connection = new Connection(url, () => this.#hello(), (m) => this.receive(m));
  }

  start(): void {
    this.connection.start();
  }

  #hello(): HelloMessage {
    // After a reconnect, ask for exactly what follows what we have (no duplicates, no holes).
    const resume = Object.fromEntries(this.log.lastSeq);
    return this.log.lastSeq.size > 0 ? { type: 'hello', v: 1, resume } : { type: 'hello', v: 1 };
  }

  receive(msg: ServerMessage): void {
    if (this.#queue.length >= MAX_QUEUED_MESSAGES) {
      // The page itself cannot keep up (a throttled background tab): keep the newest.
      this.#queue.splice(0, this.#queue.length - MAX_QUEUED_MESSAGES / 2);
    }
    this.#queue.push(msg);
    if (this.#scheduled) return;
    this.#scheduled = true;
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      this.#scheduled = false;
      this.#applyQueued();
    };
    requestAnimationFrame(run);
    setTimeout(run, 250);
  }

  #applyQueued(): void {
    const q = this.#queue;
    this.#queue = [];
    for (const m of q) {
      if (m.type === 'snapshot') this.#snapshot(m);
      else if (m.type === 'delta') this.#delta(m);
      else if (m.type === 'gap') {
        this.gaps++;
        this.lastGap = m.reason;
      } else if (m.type === 'error') this.notice = `${m.code}: ${m.message}`;
      else if (m.type === 'write_ok') this.notice = null;
    }
    this.log.commit();
  }

  #snapshot(m: SnapshotMessage): void {
    this.server = m.server;
    this.serverNow = m.server.now;
    if (!m.resumed) {
      this.log.clear();
      this.#series.clear();
      this.events = [];
      this.boots = [];
      this.drift = [];
    }
    this.#ports(m.ports);
    if (m.stages) this.stages = m.stages;
    this.#lines(m.lines);
    this.events = m.resumed ? mergeEvents(this.events, m.events) : m.events.slice(-MAX_EVENTS);
    this.boots = m.boots.slice();
    this.drift = m.drift.slice();
    this.alerts = m.alerts.slice();
  }

  #delta(m: DeltaMessage): void {
    this.serverNow = m.now;
    if (m.lines.length) this.#lines(m.lines);
    for (const n of m.notes) this.log.note(n);
    if (m.events.length) this.events = mergeEvents(this.events, m.events);
    if (m.boots.length) {
      const byId = new Map(this.boots.map((b) => [b.id, b]));
      for (const b of m.boots) byId.set(b.id, b);
      this.boots = [...byId.values()].slice(-200);
    }
    if (m.drift.length) {
      const byKey = new Map(this.drift.map((f) => [`${f.port}|${f.source}`, f]));
      for (const f of m.drift) byKey.set(`${f.port}|${f.source}`, f);
      this.drift = [...byKey.values()];
    }
    if (m.alerts.length) {
      const byId = new Map(this.alerts.map((a) => [a.id, a]));
      for (const a of m.alerts) byId.set(a.id, a);
      this.alerts = [...byId.values()].slice(-500);
    }
    if (m.status.length) {
      const st = new Map(m.status.map((s) => [s.port, s]));
      this.ports = this.ports.map((p) => {
        const s = st.get(p.name);
        return s ? { ...p, state: s.state, ...(s.reason ? { lastError: s.reason } : {}) } : p;
      });
    }
    if (m.ports) this.#ports(m.ports);
    if (m.stages) this.stages = m.stages;
  }

  #ports(ports: readonly PortInfo[]): void {
    const now = performance.now();
    const rates: Record<string, PortRates> = { ...this.rates };
    for (const p of ports) {
      const prev = this.#prevPorts.get(p.name);
      if (prev && now > prev.at) {
        const s = (now - prev.at) / 1000;
        rates[p.name] = { linesPerS: Math.max(0, (p.lines - prev.lines) / s), bytesPerS: Math.max(0, (p.bytes - prev.bytes) / s) };
      }
      this.#prevPorts.set(p.name, { lines: p.lines, bytes: p.bytes, at: now });
    }
    this.rates = rates;
    this.ports = ports;
  }

  #lines(lines: readonly WireLine[]): void {
    this.log.add(lines);
    let changed = false;
    for (const l of lines) {
      if (l.dt === undefined || l.dts === undefined) continue;
      const key = `${l.port}|${l.dts}`;
      let s = this.#series.get(key);
      if (!s) {
        s = { key, port: l.port, source: l.dts, host: [], device: [] };
        this.#series.set(key, s);
      }
      const lastDev = s.device.at(-1);
      // Device time going backwards is a reboot: a new series, as the fitter starts a new fit.
      if (lastDev !== undefined && l.dt / 1e6 < lastDev) {
        s.host = [];
        s.device = [];
      }
      s.host.push(l.t / 1e6);
      s.device.push(l.dt / 1e6);
      if (s.host.length > MAX_POINTS) {
        // Keep the whole span at half the density rather than only the newest points.
        s.host = s.host.filter((_, i) => i % 2 === 0);
        s.device = s.device.filter((_, i) => i % 2 === 0);
      }
      changed = true;
    }
    if (changed) this.series = [...this.#series.values()].map((s) => ({ ...s }));
  }

  /** Scroll the log to an event's lines and highlight them. */
  reveal(range: LineRange): void {
    this.notice = null;
    this.highlight = range;
    this.revealRequest++;
  }

  firingAlerts(): AlertRecord[] {
    return this.alerts.filter((a) => a.state === 'firing');
  }
}

function mergeEvents(have: readonly BusEvent[], add: readonly BusEvent[]): BusEvent[] {
  const byId = new Map(have.map((e) => [e.id, e]));
  for (const e of add) byId.set(e.id, e); // a condition event (clock.drift) is updated in place
  const out = [...byId.values()];
  return out.length > MAX_EVENTS ? out.slice(-MAX_EVENTS) : out;
}
