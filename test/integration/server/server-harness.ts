// A real DashboardServer on a real EventBus with a small hand-made Runtime, plus a ws client
// that records what it receives. Shared by the server and dashboard integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

import { configSchema } from '../../../daemon/config/schema.ts';
import type { Boot } from '../../../daemon/core/boot.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import { hostClock } from '../../../daemon/core/host-time.ts';
import type { Line } from '../../../daemon/core/line.ts';
import type { Level } from '../../../daemon/core/parsed-record.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { PortInfo, Runtime, StageStats } from '../../../daemon/pipeline/runtime.ts';
import type { HistoryQuery } from '../../../daemon/store/history-query.ts';
import { DashboardServer } from '../../../daemon/server/dashboard-server.ts';
import type { ServerMessage } from '../../../daemon/server/protocol.ts';

const enc = new TextEncoder();

export function makeLine(port: string, seq: number, text: string, extra: Partial<Line> = {}): Line {
  return {
    port, seq, hostTime: extra.hostTime ?? hostClock.now(), bytes: enc.encode(`${text}\r\n`), terminator: 'crlf', text,
    nonTextBytes: 0, flags: { partial: false, truncated: false }, ...extra,
  };
}

/** A Zephyr log line and its record, as the parser publishes them. */
export function publishZephyr(bus: EventBus, port: string, seq: number, level: Level, module: string, msg: string, deviceUs: number, hostTime?: number): void {
  const s = Math.floor(deviceUs / 1e6);
  const stamp = `[${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(Math.floor(deviceUs / 1000) % 1000).padStart(3, '0')},${String(deviceUs % 1000).padStart(3, '0')}]`;
  const text = `${stamp} <${level}> ${module}: ${msg}`;
  const colour = level === 'err' ? '\x1b[1;31m' : level === 'wrn' ? '\x1b[1;33m' : '';
  const line = makeLine(port, seq, text, {
    ...(hostTime !== undefined ? { hostTime } : {}),
    ...(colour ? { ansi: `${colour}${text}\x1b[0m` } : {}),
  });
  bus.publish({ type: 'line', line });
  bus.publish({
    type: 'record',
    record: { line, lastSeq: seq, dialect: 'zephyr', kind: 'zephyr.log', level, module, deviceTime: { us: deviceUs, source: 'log', resolutionUs: 1 }, message: msg, fields: {} },
  });
}

export function makePort(name: string, role: PortInfo['role'] = 'zephyr'): PortInfo {
  return { name, role, source: `sim:seed/${name}`, baud: 115200, state: 'connected', lines: 0, bytes: 0, truncated: 0, partial: 0, dropped: 0, reconnects: 0 };
}

export function makeEvent(over: Partial<BusEvent> & Pick<BusEvent, 'kind' | 'port' | 'lines'>): BusEvent {
  return { id: `ev-${Math.random().toString(36).slice(2)}`, severity: 'error', boot: 'b0', hostTime: hostClock.now(), title: over.kind, attrs: {}, ...over };
}

export function makeBoot(port: string, index = 0, over: Partial<Boot> = {}): Boot {
  return { id: `${port}-boot-${index}`, port, index, hostStart: hostClock.now(), firstSeq: 0, kind: 'zephyr', milestones: [], endReason: 'running', ...over };
}

export interface Harness {
  readonly server: DashboardServer;
  readonly bus: EventBus;
  readonly runtime: Runtime;
  readonly ports: PortInfo[];
  readonly dataDir: string;
  readonly written: { port: string; data: string }[];
  readonly url: string;
  readonly wsUrl: string;
  /** Stops the server (the data dir stays until cleanup). */
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  readonly http?: Record<string, unknown>;
  readonly ports?: PortInfo[];
  readonly history?: HistoryQuery;
  readonly dataDir?: string;
  readonly staticDir?: string;
  readonly logs?: string[];
  /** What `runtime.stages()` reports (pipeline and sink counters). */
  readonly stages?: StageStats;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'uartscope-server-'));
  const config = configSchema.parse({ http: { listen: '127.0.0.1:0', ...opts.http } });
  const ports = opts.ports ?? [makePort('console'), makePort('esp', 'esp-at')];
  const written: { port: string; data: string }[] = [];
  const runtime: Runtime = {
    config, dataDir, startedAt: hostClock.now(),
    ports: () => ports,
    stages: () => opts.stages ?? {},
    ...(opts.history ? { history: opts.history } : {}),
    writePort: async (port, bytes) => {
      if (!ports.some((p) => p.name === port)) throw new Error(`no port "${port}"`);
      written.push({ port, data: new TextDecoder().decode(bytes) });
    },
  };
  const bus = new EventBus();
  const logs = opts.logs;
  const server = new DashboardServer({ ...(opts.staticDir ? { staticDir: opts.staticDir } : {}), log: (m) => logs?.push(m) });
  await server.start(bus, runtime);
  const { host, port } = server.address();
  const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
  };
  return {
    server, bus, runtime, ports, dataDir, written, url: `${base}/`, wsUrl: `${base.replace('http', 'ws')}/ws`, stop,
    cleanup: async () => {
      await stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A real ws client that keeps every message it gets. */
export class Probe {
  readonly messages: ServerMessage[] = [];
  closeCode?: number;
  readonly #waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      this.#wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.#wake();
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<Probe> {
    const ws = new WebSocket(url, options);
    return new Promise((ok, fail) => {
      const probe = new Probe(ws);
      ws.once('open', () => ok(probe));
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Waits (by messages, not by time) until `pred` holds; fails after `limitMs` with what it saw. */
  async until(pred: (p: Probe) => boolean, what: string, limitMs = 10_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.messages.map((m) => m.type).join(',')}`);
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, Math.min(left, 200));
        this.#waiters.push(() => { clearTimeout(t); ok(); });
      });
    }
  }

  /** Every line seen, in arrival order (snapshot lines then deltas). */
  lines(port?: string): { port: string; seq: number; text: string }[] {
    const out: { port: string; seq: number; text: string }[] = [];
    for (const m of this.messages) {
      if (m.type === 'snapshot' && !m.resumed) out.length = 0;
      if (m.type === 'snapshot' || m.type === 'delta') for (const l of m.lines) if (!port || l.port === port) out.push(l);
    }
    return out;
  }

  close(): void {
    this.ws.terminate();
  }
}
