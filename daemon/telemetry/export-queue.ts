import { BoundedQueue, type QueueStats } from '../pipeline/bounded-queue.ts';

/**
 * `ExportResult` of @opentelemetry/core (0 = SUCCESS, 1 = FAILED), restated here because core
 * is not a direct dependency of this package.
 */
export interface ExportResult {
  code: number;
  error?: Error;
}
const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;

/** The part of SpanExporter / LogRecordExporter the queue uses. */
export interface BatchExporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

export interface ExportQueueOptions {
  readonly capacity: number;
  readonly maxBatch: number;
  /** Pause after an export that did not fill a batch, so the next one fills (ms). */
  readonly intervalMs: number;
  /** Give up on an export whose callback never came (ms); the exporter's own timeout should fire first. */
  readonly timeoutMs: number;
  /** Exports in flight at most (default 1). */
  readonly concurrency?: number;
}

/**
 * A bounded queue in front of one OTLP exporter, with a few exports in flight at most. This is
 * what keeps a down, slow or failing collector from reaching ingestion: items beyond
 * `capacity` are dropped on push (counted as `queue_full`), a failed batch is dropped after
 * the exporter's own retries (counted as `export_failed`), and push never waits. The SDK's
 * BatchSpanProcessor does the same but keeps its drop count private; this one reports it.
 */
export class ExportQueue<T> {
  readonly #queue: BoundedQueue<T>;
  readonly #exporter: BatchExporter<T>;
  readonly #options: ExportQueueOptions;
  #exported = 0;
  #failedItems = 0;
  #failedExports = 0;
  #abandoned = 0;
  #abandon = false;
  #wake: (() => void) | null = null;
  #flushing = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #inFlightItems = 0;
  #onAbandon!: () => void;
  readonly #abandoned$ = new Promise<void>((resolve) => (this.#onAbandon = resolve));

  constructor(readonly name: string, exporter: BatchExporter<T>, options: ExportQueueOptions) {
    this.#exporter = exporter;
    this.#options = options;
    this.#queue = new BoundedQueue<T>(name, options.capacity, (batch) => this.#send(batch), options.maxBatch);
  }

  /** Never blocks; false when the item was dropped. */
  push(item: T): boolean {
    const accepted = this.#queue.push(item);
    // A full batch is waiting: end the pause now, as BatchSpanProcessor exports on
    // maxExportBatchSize or on its timer, whichever comes first.
    if (this.#wake && this.#queue.depth >= this.#options.maxBatch) this.#wake();
    return accepted;
  }

  get exported(): number {
    return this.#exported;
  }

  /** Queue stats with export failures and abandoned items folded into `dropped`. */
  stats(): QueueStats {
    const s = this.#queue.stats;
    const droppedBy = { ...s.droppedBy };
    if (this.#failedItems) droppedBy.export_failed = this.#failedItems;
    if (this.#abandoned) droppedBy.shutdown = (droppedBy.shutdown ?? 0) + this.#abandoned;
    return {
      ...s,
      delivered: this.#exported,
      dropped: s.dropped + this.#failedItems + this.#abandoned,
      droppedBy,
      errors: this.#failedExports,
      depth: this.#queue.depth,
    };
  }

  /** Resolves when everything queued so far was exported (or failed), or at the deadline. */
  async flush(deadlineMs: number): Promise<boolean> {
    this.#flushing++;
    this.#wake?.();
    try {
      const all = (async () => {
        await this.#queue.drained();
        await Promise.all([...this.#inFlight]);
      })();
      return await withDeadline(all, deadlineMs);
    } finally {
      this.#flushing--;
    }
  }

  /** Flushes within the deadline, drops what is left, shuts the exporter down. */
  async shutdown(deadlineMs: number): Promise<void> {
    const started = Date.now();
    const done = await this.flush(deadlineMs);
    if (!done) {
      // Exports still hanging are given up: their items count as dropped now, and whatever
      // they answer later is ignored.
      this.#abandon = true;
      this.#abandoned += this.#inFlightItems;
      this.#inFlightItems = 0;
      this.#onAbandon();
      this.#wake?.();
    }
    const left = (): number => Math.max(100, deadlineMs - (Date.now() - started));
    await withDeadline(this.#queue.close(), left());
    await withDeadline(this.#exporter.shutdown(), left());
  }

  async #send(batch: T[]): Promise<void> {
    if (this.#abandon) {
      this.#abandoned += batch.length;
      return;
    }
    this.#inFlightItems += batch.length;
    const exported = this.#exportOnce(batch).then((result) => {
      this.#inFlight.delete(exported);
      if (this.#abandon) return; // already counted as dropped at shutdown
      this.#inFlightItems -= batch.length;
      if (result.code === ExportResultCode.SUCCESS) this.#exported += batch.length;
      else {
        this.#failedExports++;
        this.#failedItems += batch.length;
      }
    });
    this.#inFlight.add(exported);
    // The queue's consumer returns (and takes the next batch) while fewer than `concurrency`
    // exports are in flight; beyond that, items wait in the bounded queue, then drop.
    while (this.#inFlight.size >= (this.#options.concurrency ?? 1) && !this.#abandon) {
      await Promise.race([...this.#inFlight, this.#abandoned$]);
    }
    // A full batch means more is waiting: send it now. Otherwise let the next batch fill.
    if (batch.length < this.#options.maxBatch && this.#flushing === 0 && !this.#abandon) await this.#pause();
  }

  #exportOnce(batch: T[]): Promise<ExportResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ code: ExportResultCode.FAILED, error: new Error(`export to ${this.name} timed out`) }),
        this.#options.timeoutMs + 1000,
      );
      timer.unref();
      try {
        this.#exporter.export(batch, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
      } catch (error) {
        // Exporters must not throw (SDK contract), but a broken one must not stop the queue either.
        clearTimeout(timer);
        resolve({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    });
  }

  #pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#options.intervalMs);
      timer.unref();
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.#wake = null;
        resolve();
      }
      this.#wake = done;
    });
  }
}

/**
 * true when `p` settled (fulfilled or rejected) before the deadline. A rejection after the
 * deadline is swallowed too: nobody awaits it any more, and an unhandled rejection would end
 * the daemon.
 */
export async function withDeadline(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p.then(() => true as const, () => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
