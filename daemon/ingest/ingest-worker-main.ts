import { parentPort, workerData } from 'node:worker_threads';
import { HostClock } from '../core/host-time.ts';
import type { SerialOpenResult } from '../sources/serial-opener.ts';
import { IngestEngine } from './ingest-engine.ts';
import { isLine, type IngestItem } from './ingest-item.ts';
import { ItemBatchWriter } from './item-batch.ts';
import type { FromIngestWorker, IngestWorkerData, ToIngestWorker } from './worker-protocol.ts';

// The ingest thread: sources, framers and the capture writer, away from the parsers, analyzers
// and sinks, so garbage collection and sink batches on the main thread cannot delay a read and
// its host-time stamp. Lines go to the main thread in batches (item-batch.ts).

/**
 * A batch leaves when it holds this many lines, or this long after its first item. The wait only
 * delays analysis and the sinks (host time is stamped here, before): 16 ms is a frame of the
 * dashboard and unnoticeable in the terminal. At 4 ms, the 250 batches a second woke both threads
 * and cost ~4 % of a core more at 16 × 921,600 baud (npm run bench -- ingest), with the same p99.
 */
const BATCH_LINES = 512;
const BATCH_MS = 16;

const port = parentPort;
if (!port) throw new Error('ingest-worker-main.ts runs as a worker thread only');
const data = workerData as IngestWorkerData;
const post = (message: FromIngestWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
const inFlight = new Int32Array(data.inFlight);

const pendingOpens = new Map<number, (result: SerialOpenResult) => void>();
let nextId = 0;
let timer: NodeJS.Timeout | undefined;
/** Counters changed without a line to carry them (lines dropped for analysis). */
let countersChanged = false;
let engine: IngestEngine;

const writer = new ItemBatchWriter(data.config.ports.map((p) => p.name));

function flush(): void {
  if (timer) { clearTimeout(timer); timer = undefined; }
  if (writer.empty && !countersChanged) return;
  countersChanged = false;
  const lines = writer.lines;
  Atomics.add(inFlight, 0, lines);
  const { batch, transfer } = writer.take();
  post({ type: 'items', batch, ports: engine.ports() }, transfer);
}

function onItem(item: IngestItem): void {
  if (isLine(item)) {
    if (Atomics.load(inFlight, 0) + writer.lines >= data.maxInFlight) {
      // The main thread is that far behind: this line is in the capture, not in analysis.
      const info = engine.ports().find((p) => p.name === item.port);
      if (info) info.dropped++;
      countersChanged = true;
      timer ??= setTimeout(flush, BATCH_MS);
      return;
    }
    writer.push(item);
    if (writer.lines >= BATCH_LINES) return flush();
    timer ??= setTimeout(flush, BATCH_MS);
  } else {
    writer.push(item);
    flush();
  }
}

try {
  engine = new IngestEngine({
    config: data.config,
    dataDir: data.dataDir,
    clock: HostClock.fromAnchor(data.anchor),
    firstSeq: (name) => data.firstSeq[name],
    onItem,
    onProblem: (message) => post({ type: 'problem', message }),
    // Replays at max speed go at the pace analysis takes lines, half the bound ahead at most.
    hasRoom: () => Atomics.load(inFlight, 0) + writer.lines < data.maxInFlight / 2,
    // Devices are opened on the main thread (serial-opener.ts); the descriptor is read here.
    openSerial: (request) => new Promise((resolve) => {
      const id = nextId++;
      pendingOpens.set(id, resolve);
      post({ type: 'open', id, request });
    }),
  });
} catch (err) {
  // The caller's createWorkerIngest rejects with this; in a worker, process.exit ends the thread only.
  post({ type: 'failed', message: (err as Error).message });
  process.exit(1);
}

port.on('message', (message: ToIngestWorker) => {
  switch (message.type) {
    case 'start':
      void engine.start().then(() => { flush(); post({ type: 'done' }); });
      break;
    case 'opened':
      pendingOpens.get(message.id)?.(message.result);
      pendingOpens.delete(message.id);
      break;
    case 'write':
      engine.write(message.port, message.bytes).then(
        () => post({ type: 'wrote', id: message.id }),
        (err: Error) => post({ type: 'wrote', id: message.id, error: err.message }),
      );
      break;
    case 'stop':
      engine.stop();
      flush();
      post({ type: 'stopped' });
      break;
  }
});
post({ type: 'ready', ports: engine.ports() });
