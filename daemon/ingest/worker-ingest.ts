import { closeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { PortInfo } from '../pipeline/runtime.ts';
import { forEachItem } from './item-batch.ts';
import type { Ingest, IngestOptions } from './ingest.ts';
import type { FromIngestWorker, IngestWorkerData, ToIngestWorker } from './worker-protocol.ts';

/**
 * The ingest edge on its own thread (ingest-worker-main.ts): reads, host-time stamps and capture
 * writes happen in a loop that does nothing else, so they are not held up by the main thread's
 * garbage collection and sink batches (which stalled stamps by up to ~200 ms at 16 ports with
 * every sink on). Serial devices are still opened here, on the main thread (serial-opener.ts).
 * Resolves once the thread has built its ports, so `ports()` is known before sinks start.
 */
export async function createWorkerIngest(options: IngestOptions): Promise<Ingest & { start(): void }> {
  const { config } = options;
  const inFlight = new SharedArrayBuffer(4);
  const inFlightCount = new Int32Array(inFlight);
  const workerData: IngestWorkerData = {
    config,
    dataDir: options.dataDir,
    anchor: options.clock.anchor,
    firstSeq: Object.fromEntries(config.ports.flatMap((p) => { const s = options.firstSeq(p.name); return s === undefined ? [] : [[p.name, s]]; })),
    inFlight,
    maxInFlight: config.pipeline.analysis_queue_lines,
  };
  // The main isolate's scavenges run on V8's helper threads too (parallel scavenge), and on a
  // machine with few cores those helpers take the core the ingest thread needs, for a few ms
  // several times a second: with every sink on (16 ports, 2 cores) that made stamp p99 1.0–1.3 ms,
  // without it 0.8–0.9 ms, at the same total CPU. Read per scavenge (V8 ScavengerCollector::
  // NumberOfScavengeTasks), so it is safe to set now; unlike --single-threaded-gc, which aborts
  // when set after start.
  setFlagsFromString('--no-parallel-scavenge');
  const worker = new Worker(new URL('./ingest-worker.mjs', import.meta.url), { workerData, name: 'uartscope ingest' });
  const send = (message: ToIngestWorker) => worker.postMessage(message);

  let ports: PortInfo[] = [];
  let stopped = false;
  let exited = false;
  let isReady = false;
  let resolveDone!: () => void;
  let failDone!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => { resolveDone = resolve; failDone = reject; });
  let resolveStopped!: () => void;
  const stoppedMessage = new Promise<void>((r) => { resolveStopped = r; });
  const writes = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextWrite = 0;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromIngestWorker) => {
      switch (message.type) {
        case 'ready':
          ports = message.ports;
          isReady = true;
          resolve();
          break;
        case 'failed':
          reject(new Error(message.message));
          break;
        case 'items': {
          ports = message.ports;
          forEachItem(message.batch, options.onItem);
          break;
        }
        case 'open':
          void options.openSerial(message.request).then((result) => {
            // Opened after the thread stopped reading: nobody will read or close it but us.
            if (stopped || exited) { if (result.ok) closeSync(result.fd); return; }
            send({ type: 'opened', id: message.id, result });
          });
          break;
        case 'wrote': {
          const w = writes.get(message.id);
          writes.delete(message.id);
          if (message.error === undefined) w?.resolve();
          else w?.reject(new Error(message.error));
          break;
        }
        case 'problem':
          options.onProblem(message.message);
          break;
        case 'done':
          resolveDone();
          break;
        case 'stopped':
          resolveStopped();
          break;
      }
    });
    worker.on('error', (err) => {
      options.onProblem(`ingest thread failed: ${err.stack ?? err.message}`);
      reject(err);
    });
    worker.on('exit', (code) => {
      exited = true;
      for (const w of writes.values()) w.reject(new Error('ingest thread exited'));
      writes.clear();
      if (!isReady) {
        // Never started: createWorkerIngest rejects, and nobody holds `done` yet.
        reject(new Error(`ingest thread exited (code ${code}) before it started`));
      } else if (!stopped) {
        // Nothing reads the ports any more: the daemon must not carry on as if they were quiet.
        const why = `ingest thread exited unexpectedly (code ${code}): ports are no longer read`;
        options.onProblem(why);
        failDone(new Error(why));
      } else resolveDone();
      resolveStopped();
    });
  });
  await ready;

  return {
    ports: () => ports,
    write: (port, bytes) => new Promise<void>((resolve, reject) => {
      if (exited) return reject(new Error('ingest thread is not running'));
      const id = nextWrite++;
      writes.set(id, { resolve, reject });
      send({ type: 'write', id, port, bytes });
    }),
    consumed: (lines) => { Atomics.sub(inFlightCount, 0, lines); },
    done,
    start: () => send({ type: 'start' }),
    stop: async () => {
      if (!stopped) {
        stopped = true;
        if (!exited) send({ type: 'stop' });
      }
      await stoppedMessage;
      await worker.terminate();
    },
  };
}
