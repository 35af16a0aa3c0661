/** Counters every stage and sink reports (Vector's ComponentEventsReceived/Dropped). */
export interface QueueStats {
  received: number;
  delivered: number;
  dropped: number;
  /** Drops by reason: `queue_full`, `shutdown`, … */
  droppedBy: Record<string, number>;
  errors: number;
  /** Items waiting now. */
  depth: number;
  capacity: number;
}

/**
 * A bounded FIFO drained by one async consumer. When full it drops the newest item and
 * counts it (`when_full: drop_newest`): the producer never waits. The consumer is called
 * with batches of at most `maxBatch` items; an error it throws is counted, never rethrown.
 */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  #head = 0;
  #draining = false;
  #closed = false;
  #idle: Array<() => void> = [];
  readonly stats: QueueStats;

  constructor(
    readonly name: string,
    readonly capacity: number,
    private readonly consume: (batch: T[]) => Promise<void> | void,
    private readonly maxBatch = 512,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`"capacity" of queue ${name} must be a positive integer, got ${capacity}`);
    this.stats = { received: 0, delivered: 0, dropped: 0, droppedBy: {}, errors: 0, depth: 0, capacity };
  }

  get depth(): number {
    return this.#items.length - this.#head;
  }

  /** Never blocks. Returns false when the item was dropped. */
  push(item: T): boolean {
    this.stats.received++;
    if (this.#closed) return this.#drop('shutdown');
    if (this.depth >= this.capacity) return this.#drop('queue_full');
    this.#items.push(item);
    this.stats.depth = this.depth;
    if (!this.#draining) void this.#drain();
    return true;
  }

  /** Resolves when everything queued so far has been consumed. */
  drained(): Promise<void> {
    if (!this.#draining && this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops accepting items, drains what is queued. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.drained();
  }

  #drop(reason: string): false {
    this.stats.dropped++;
    this.stats.droppedBy[reason] = (this.stats.droppedBy[reason] ?? 0) + 1;
    return false;
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    // Yield to I/O first (setImmediate runs after the poll phase): the producer's burst and any
    // further reads land in the queue before the consumer runs, and a busy consumer never
    // starves the sources.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.depth > 0) {
      const end = Math.min(this.#items.length, this.#head + this.maxBatch);
      const batch = this.#items.slice(this.#head, end);
      this.#head = end;
      if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
        this.#items.splice(0, this.#head);
        this.#head = 0;
      }
      this.stats.depth = this.depth;
      try {
        await this.consume(batch);
        this.stats.delivered += batch.length;
      } catch {
        this.stats.errors++;
      }
      if (this.depth > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#draining = false;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }
}
