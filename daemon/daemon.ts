import { hostClock as defaultClock, type HostClock } from './core/host-time.ts';
import type { Config } from './config/schema.ts';
import { isLine, type IngestItem } from './ingest/ingest-item.ts';
import type { IngestOptions } from './ingest/ingest.ts';
import { createInlineIngest } from './ingest/inline-ingest.ts';
import { createWorkerIngest } from './ingest/worker-ingest.ts';
import { openSerialDevice } from './sources/serial-opener.ts';
import { createAnalysisStage, type AnalysisStage } from './pipeline/analysis-stage.ts';
import { BoundedQueue } from './pipeline/bounded-queue.ts';
import { EventBus } from './pipeline/event-bus.ts';
import type { PortInfo, Runtime, StageStats } from './pipeline/runtime.ts';
import type { Sink } from './pipeline/sink.ts';
import type { HistoryQuery } from './store/history-query.ts';

export interface DaemonOptions {
  readonly config: Config;
  readonly dataDir: string;
  readonly sinks?: readonly Sink[];
  readonly history?: HistoryQuery;
  readonly clock?: HostClock;
  /** Called with every non-fatal problem worth telling the operator (open errors, capture errors). */
  readonly onProblem?: (message: string) => void;
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
  /** Resolves when every source has ended for good (replays at their end) and the analyzers saw everything. Live ports never end. Rejects when the ingest edge failed (its thread died). */
  readonly sourcesDone: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The daemon: the ingest edge (sources, framers, capture),
 * then one bounded queue into the parsers and analyzers of each port, all publishing on one
 * event bus that the sinks consume. The capture gets every line before anything else;
 * nothing after it can make a source wait.
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config, dataDir } = options;
  const clock = options.clock ?? defaultClock;
  const problem = options.onProblem ?? (() => {});
  const bus = new EventBus();
  const startedAt = clock.now();
  const publish = bus.publish.bind(bus);

  const stages = new Map<string, AnalysisStage>();
  for (const port of config.ports) {
    if (stages.has(port.name)) throw new Error(`port names must be unique: "${port.name}" appears twice`);
    const nextBootIndex = options.continuation?.nextBootIndex(port.name);
    stages.set(port.name, createAnalysisStage({ port: port.name, role: port.role, config, publish, ...(nextBootIndex !== undefined ? { startBootIndex: nextBootIndex } : {}) }));
  }

  // Lines and status changes go through one queue, so analyzers see them in the order they happened.
  const analysisQueue = new BoundedQueue<IngestItem>('analysis', config.pipeline.analysis_queue_lines, (batch) => {
    let lines = 0;
    for (const item of batch) {
      const stage = stages.get(item.port);
      if (isLine(item)) {
        lines++;
        // The stage publishes the line (after its parser decided whether it is secret).
        stage?.onLine(item);
      } else if (stage) {
        publish({ type: 'status', status: item });
        stage.onStatus(item);
      }
    }
    consumed(lines);
  }, 128);
  // Tells the ingest edge that analysis took lines (its bound on lines in flight); set once it exists.
  let consumed: (lines: number) => void = () => {};
  const droppedFromAnalysis = new Map<string, number>();

  const ingestOptions: IngestOptions = {
    config, dataDir, clock,
    firstSeq: (port) => options.continuation?.firstSeq(port),
    onProblem: problem,
    openSerial: openSerialDevice,
    hasRoom: () => analysisQueue.depth < analysisQueue.capacity / 2,
    onItem: (item) => {
      if (analysisQueue.push(item)) return;
      if (isLine(item)) {
        // Dropped from analysis only: the capture already has it.
        droppedFromAnalysis.set(item.port, (droppedFromAnalysis.get(item.port) ?? 0) + 1);
        consumed(1);
      } else {
        // A status change is never dropped: it may exceed the queue's capacity by the few ports there are.
        publish({ type: 'status', status: item });
        stages.get(item.port)?.onStatus(item);
      }
    },
  };
  const ingest = config.pipeline.ingest_thread === 'worker' ? await createWorkerIngest(ingestOptions) : createInlineIngest(ingestOptions);
  consumed = (lines) => ingest.consumed(lines);
  const sinks: Sink[] = [];
  const runtime: Runtime = {
    config,
    dataDir,
    startedAt,
    ...(options.history ? { history: options.history } : {}),
    ports: (): PortInfo[] => ingest.ports().map((p) => {
      const extra = droppedFromAnalysis.get(p.name) ?? 0;
      return extra ? { ...p, dropped: p.dropped + extra } : p;
    }),
    stages: (): StageStats => ({ analysis: analysisQueue.stats, ...Object.fromEntries(sinks.flatMap((s) => { const st = s.stats(); return st ? [[s.name, st]] : []; })) }),
    writePort: (port, bytes) => ingest.write(port, bytes),
  };

  // A sink that cannot start (a port in use, say) is reported; the ports are watched and captured all the same.
  for (const sink of options.sinks ?? []) {
    try {
      await sink.start(bus, runtime);
      sinks.push(sink);
    } catch (err) {
      problem(`${sink.name}: not started: ${(err as Error).message}`);
      try { await sink.stop(); } catch { /* it never ran */ }
    }
  }

  // Sources open only once every sink listens, so no sink misses the first lines.
  ingest.start();

  const tick = setInterval(() => {
    const now = clock.now();
    for (const s of stages.values()) s.onTick(now);
  }, 1000);
  tick.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    clearInterval(tick);
    await ingest.stop();
    await analysisQueue.close();
    const now = clock.now();
    for (const s of stages.values()) s.end(now);
    for (const sink of sinks) {
      try { await sink.stop(); } catch (err) { problem(`sink ${sink.name}: stop failed: ${(err as Error).message}`); }
    }
    bus.complete();
  })());

  // "Done" once every source ended and the analyzers have seen everything they sent.
  const sourcesDone = ingest.done.then(() => analysisQueue.drained());
  return { bus, runtime, sourcesDone, stop };
}
