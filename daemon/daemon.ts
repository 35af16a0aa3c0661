import type { Subscription } from 'rxjs';
import { hostClock as defaultClock, type HostClock } from './core/host-time.ts';
import type { Line } from './core/line.ts';
import type { PortStatus } from './core/port-status.ts';
import type { Config } from './config/schema.ts';
import type { PortConfig } from './config/sections/ports.ts';
import { parseSource } from './config/port-spec.ts';
import { CaptureWriter } from './capture/capture-writer.ts';
import { LineFramer } from './framing/line-framer.ts';
import { createAnalysisStage, type AnalysisStage } from './pipeline/analysis-stage.ts';
import { BoundedQueue } from './pipeline/bounded-queue.ts';
import { EventBus } from './pipeline/event-bus.ts';
import { redactLine } from './pipeline/redact-line.ts';
import type { PortInfo, Runtime, StageStats } from './pipeline/runtime.ts';
import type { Sink } from './pipeline/sink.ts';
import type { HistoryQuery } from './store/history-query.ts';
import { replaySource } from './sources/replay-source.ts';
import { serialSource } from './sources/serial-source.ts';
import type { Source, SourceItem } from './sources/source.ts';
import { simSource } from './sources/sim-source.ts';
import { tcpSource } from './sources/tcp-source.ts';

export interface DaemonOptions {
  readonly config: Config;
  readonly dataDir: string;
  readonly sinks?: readonly Sink[];
  readonly history?: HistoryQuery;
  readonly clock?: HostClock;
  /** Called with every non-fatal problem worth telling the operator (open errors, capture errors). */
  readonly onProblem?: (message: string) => void;
  /** Lines waiting for parsers/analyzers, all ports together; beyond it they are dropped from analysis (never from the capture). */
  readonly analysisQueueLines?: number;
  /** Where a restarted daemon continues (from the store); the capture files are consulted too. */
  readonly continuation?: Continuation;
}

/** What a restarted daemon continues from, per port. */
export interface Continuation {
  firstSeq(port: string): number | undefined;
  nextBootIndex(port: string): number | undefined;
}

export interface Daemon {
  readonly bus: EventBus;
  readonly runtime: Runtime;
  readonly capture: CaptureWriter;
  /** Resolves when every source has ended for good (replays at their end). Live ports never end. */
  readonly sourcesDone: Promise<void>;
  stop(): Promise<void>;
}

interface PortRunner {
  readonly info: PortInfo;
  readonly config: PortConfig;
  readonly source: Source;
  readonly framer: LineFramer;
  readonly stage: AnalysisStage;
  idleTimer?: NodeJS.Timeout;
  lastDataMono: number;
  subscription?: Subscription;
  everConnected: boolean;
}

function createSource(port: PortConfig, clock: HostClock): Source {
  const parsed = parseSource(port);
  switch (parsed.kind) {
    case 'serial': return serialSource({ port: port.name, path: parsed.path, baud: port.baud, clock });
    case 'usb': return serialSource({ port: port.name, ...(port.usb ? { usb: port.usb } : {}), baud: port.baud, clock });
    case 'tcp': return tcpSource({ port: port.name, host: parsed.host, tcpPort: parsed.port, clock });
    case 'replay': return replaySource({ port: port.name, file: parsed.file, speed: parsed.speed, clock });
    case 'sim': return simSource({ port: port.name, scenario: parsed.scenario, uart: parsed.uart, speed: parsed.speed, clock });
  }
}

/**
 * The daemon: for every port a source, a framer, the capture writer, then (behind one
 * bounded queue) parsers and analyzers, all publishing on one event bus that the sinks
 * consume. The capture gets every line synchronously in the source's data callback;
 * nothing after it can make a source wait.
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config, dataDir } = options;
  const clock = options.clock ?? defaultClock;
  const problem = options.onProblem ?? (() => {});
  const bus = new EventBus();
  const capture = new CaptureWriter({ dataDir, maxFileBytes: config.data.capture.max_file_bytes, flushIntervalMs: config.data.capture.flush_interval_ms });
  const runners = new Map<string, PortRunner>();
  const startedAt = clock.now();

  const publish = bus.publish.bind(bus);
  // Lines and status changes go through one queue, so analyzers see them in the order they happened.
  const analysisQueue = new BoundedQueue<Line | PortStatus>('analysis', options.analysisQueueLines ?? 200_000, (batch) => {
    for (const item of batch) {
      const runner = runners.get(item.port);
      if (!runner) continue;
      if ('seq' in item) {
        // The stage publishes the line (after its parser decided whether it is secret).
        runner.stage.onLine(item);
      } else {
        publish({ type: 'status', status: item });
        runner.stage.onStatus(item);
      }
    }
  }, 128);

  for (const port of config.ports) {
    if (runners.has(port.name)) throw new Error(`port names must be unique: "${port.name}" appears twice`);
    const framing = { ...config.framing, ...port.framing };
    const info: PortInfo = {
      name: port.name, role: port.role, source: port.source ?? `usb:${port.usb?.vendor_id}:${port.usb?.product_id ?? '*'}`,
      baud: port.baud, state: 'retrying', lines: 0, bytes: 0, truncated: 0, partial: 0, dropped: 0, reconnects: 0,
    };
    // Continue numbering after whatever a previous run left, in the store or in the captures.
    const firstSeq = Math.max(options.continuation?.firstSeq(port.name) ?? 0, capture.nextSeq(port.name));
    const framer = new LineFramer({
      port: port.name, baud: port.baud, maxLineBytes: framing.max_line_bytes, firstSeq,
      onLine: (line) => {
        capture.writeLine(line);
        info.lines++;
        info.lastLineAt = line.hostTime;
        if (line.flags.truncated) info.truncated++;
        if (line.flags.partial) info.partial++;
        if (!analysisQueue.push(redactLine(line))) info.dropped++;
      },
    });
    const nextBootIndex = options.continuation?.nextBootIndex(port.name);
    const stage = createAnalysisStage({ port: port.name, role: port.role, config, publish, ...(nextBootIndex !== undefined ? { startBootIndex: nextBootIndex } : {}) });
    runners.set(port.name, { info, config: port, source: createSource(port, clock), framer, stage, lastDataMono: 0, everConnected: false });
  }

  const runtime: Runtime = {
    config,
    dataDir,
    startedAt,
    ...(options.history ? { history: options.history } : {}),
    ports: () => [...runners.values()].map((r) => r.info),
    stages: (): StageStats => ({ analysis: analysisQueue.stats, ...Object.fromEntries(sinks.flatMap((s) => { const st = s.stats(); return st ? [[s.name, st]] : []; })) }),
    writePort: async (port, bytes) => {
      const r = runners.get(port);
      if (!r) throw new Error(`no port named "${port}"`);
      if (!r.source.write) throw new Error(`port ${port} is a ${r.source.kind} source and cannot be written`);
      await r.source.write(bytes);
      capture.writeMarker(port, clock.now(), 'tx', Buffer.from(bytes).toString('utf8'));
    },
  };

  // A sink that cannot start (a port in use, say) is reported; the ports are watched and captured all the same.
  const sinks: Sink[] = [];
  for (const sink of options.sinks ?? []) {
    try {
      await sink.start(bus, runtime);
      sinks.push(sink);
    } catch (err) {
      problem(`${sink.name}: not started: ${(err as Error).message}`);
      try { await sink.stop(); } catch { /* it never ran */ }
    }
  }

  const onStatus = (runner: PortRunner, item: Extract<SourceItem, { type: 'state' }>) => {
    const { info } = runner;
    const previous = info.state;
    info.state = item.state;
    if (item.path !== undefined) info.path = item.path;
    if (item.state === 'connected') {
      delete info.lastError;
      if (runner.everConnected) info.reconnects++;
      capture.writeMarker(info.name, item.at, runner.everConnected ? 'reconnected' : 'open', `${item.path ?? ''} baud=${info.baud}`);
      runner.everConnected = true;
    } else {
      if (item.reason) info.lastError = item.reason;
      // Whatever the device sent before it went away is a (partial) line of its own.
      runner.framer.flushIdle();
      const marker = item.state === 'gone' ? 'gone' : previous === 'connected' ? 'disconnected' : 'retrying';
      capture.writeMarker(info.name, item.at, marker, item.reason ?? '');
      if (item.reason && item.reason !== 'end of file') problem(item.reason);
    }
    const status: PortStatus = { port: info.name, state: item.state, hostTime: item.at, ...(item.reason ? { reason: item.reason } : {}) };
    // A status change is never dropped: it may exceed the queue's capacity by the few ports there are.
    if (!analysisQueue.push(status)) { publish({ type: 'status', status }); runner.stage.onStatus(status); }
  };

  const idleFlush = (runner: PortRunner, idleMs: number) => {
    runner.idleTimer = undefined;
    if (!runner.framer.holding) return;
    const quietFor = performance.now() - runner.lastDataMono;
    if (quietFor >= idleMs) runner.framer.flushIdle();
    else runner.idleTimer = setTimeout(idleFlush, idleMs - quietFor + 1, runner, idleMs);
  };

  const ended: Promise<void>[] = [];
  for (const runner of runners.values()) {
    const idleMs = runner.config.framing?.idle_flush_ms ?? config.framing.idle_flush_ms;
    capture.open(runner.info.name, runner.info.source, clock.now());
    ended.push(new Promise<void>((resolve) => {
      runner.subscription = runner.source.items$.subscribe({
        next: (item) => {
          if (item.type === 'data') {
            runner.info.bytes += item.bytes.length;
            runner.lastDataMono = performance.now();
            runner.framer.push(item.bytes, item.at);
            if (runner.framer.holding && !runner.idleTimer) runner.idleTimer = setTimeout(idleFlush, idleMs, runner, idleMs);
          } else onStatus(runner, item);
        },
        error: (err: Error) => { problem(`port ${runner.info.name}: source failed: ${err.message}`); resolve(); },
        complete: () => resolve(),
      });
    }));
  }

  const tick = setInterval(() => {
    const now = clock.now();
    for (const r of runners.values()) r.stage.onTick(now);
    if (capture.lastError) { problem(capture.lastError); capture.lastError = undefined; }
  }, 1000);
  tick.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    clearInterval(tick);
    const now = clock.now();
    for (const r of runners.values()) {
      r.subscription?.unsubscribe();
      if (r.idleTimer) clearTimeout(r.idleTimer);
      r.framer.flushIdle();
    }
    await analysisQueue.close();
    for (const r of runners.values()) {
      r.stage.end(now);
      capture.writeMarker(r.info.name, now, 'close', 'uartscope stopped');
    }
    capture.close();
    for (const sink of sinks) {
      try { await sink.stop(); } catch (err) { problem(`sink ${sink.name}: stop failed: ${(err as Error).message}`); }
    }
    bus.complete();
  })());

  // "Done" once every source ended and the analyzers have seen everything they sent.
  const sourcesDone = Promise.all(ended).then(() => analysisQueue.drained());
  return { bus, runtime, capture, sourcesDone, stop };
}
