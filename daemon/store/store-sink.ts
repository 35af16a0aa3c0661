import type { Subscription } from 'rxjs';

import type { StoreConfig } from '../config/sections/store.ts';
import { hostClock, type HostTime } from '../core/host-time.ts';
import { BoundedQueue, type QueueStats } from '../pipeline/bounded-queue.ts';
import type { BusMessage } from '../pipeline/bus-message.ts';
import type { EventBus } from '../pipeline/event-bus.ts';
import type { Runtime } from '../pipeline/runtime.ts';
import type { Sink } from '../pipeline/sink.ts';
import type { Store, StoreWrite } from './store.ts';

export interface StoreSinkOptions {
  /** Messages waiting to be written; the newest are dropped (and counted) when full. Default 65536. */
  readonly queueCapacity?: number;
  /** Messages per transaction at most. Default 2048. */
  readonly maxBatch?: number;
  /** How often the ports' last line seqs are saved when no other write carries them (ms). Default 1000. */
  readonly seqFlushIntervalMs?: number;
  readonly clock?: { now(): HostTime };
}

/** The `store:` config section as {@link StoreSink} options. */
export function storeSinkOptionsFromConfig(c: StoreConfig, clock?: { now(): HostTime }): StoreSinkOptions {
  return { queueCapacity: c.queue_capacity, maxBatch: c.max_batch, seqFlushIntervalMs: c.seq_flush_interval_ms, ...(clock ? { clock } : {}) };
}

/**
 * Persists boots, events, drift fits, port status and alerts: not lines, which live in the
 * capture files. The bus subscriber only pushes onto a {@link BoundedQueue} (drop-newest)
 * and notes each port's last line seq, so the bus never waits on the disk; the queue's
 * consumer writes a whole batch in one transaction (one fsync-equivalent per batch, not per
 * row: https://sqlite.org/faq.html#q19).
 */
export class StoreSink implements Sink {
  readonly name = 'store';
  readonly #store: Store;
  readonly #queue: BoundedQueue<StoreWrite>;
  readonly #clock: { now(): HostTime };
  readonly #seqFlushIntervalMs: number;
  /** Last line seq per port seen on the bus; `#seqDirty` holds the ports not yet written. */
  readonly #lastSeq = new Map<string, number>();
  readonly #seqDirty = new Set<string>();
  #subscription: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #runtime: Runtime | undefined;
  #writeErrors = 0;

  constructor(store: Store, options: StoreSinkOptions = {}) {
    this.#store = store;
    this.#clock = options.clock ?? hostClock;
    this.#seqFlushIntervalMs = options.seqFlushIntervalMs ?? 1000;
    this.#queue = new BoundedQueue<StoreWrite>('store', options.queueCapacity ?? 65_536, (batch) => this.#write(batch), options.maxBatch ?? 2048);
  }

  start(bus: EventBus, runtime?: Runtime): void {
    this.#runtime = runtime;
    // A daemon that died left its sessions open: they ended no later than its last write.
    const lastWrite = this.#store.lastWriteAt();
    if (lastWrite !== undefined) this.#store.closeOpenSessions(lastWrite, 'daemon stopped unexpectedly');
    this.#subscription = bus.messages$.subscribe((m) => this.#onMessage(m));
    this.#timer = setInterval(() => this.#flushSeqs(), this.#seqFlushIntervalMs);
    this.#timer.unref();
  }

  /** Messages accepted and dropped, write errors (a failed transaction counts once in `errors`). */
  stats(): QueueStats {
    const q = this.#queue.stats;
    return { ...q, droppedBy: { ...q.droppedBy }, errors: q.errors + this.#writeErrors, depth: this.#queue.depth };
  }

  /** Resolves when everything published so far is in the store. */
  drained(): Promise<void> {
    return this.#queue.drained();
  }

  async stop(): Promise<void> {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    if (this.#timer) clearInterval(this.#timer);
    await this.#queue.close();
    this.#flushSeqs();
    try {
      this.#store.closeOpenSessions(this.#clock.now(), 'daemon stopped');
    } catch {
      this.#writeErrors++;
    }
  }

  #onMessage(m: BusMessage): void {
    switch (m.type) {
      case 'line': {
        const prev = this.#lastSeq.get(m.line.port);
        if (prev === undefined || m.line.seq > prev) {
          this.#lastSeq.set(m.line.port, m.line.seq);
          this.#seqDirty.add(m.line.port);
        }
        return;
      }
      case 'event':
        this.#queue.push({ type: 'event', event: m.event });
        return;
      case 'boot':
        this.#queue.push({ type: 'boot', boot: m.boot, hostTime: this.#clock.now() });
        return;
      case 'drift':
        this.#queue.push({ type: 'drift', fit: m.fit, hostTime: this.#clock.now() });
        return;
      case 'status': {
        const source = this.#runtime?.ports().find((p) => p.name === m.status.port)?.source;
        this.#queue.push({ type: 'status', status: m.status, ...(source !== undefined ? { source } : {}) });
        return;
      }
      case 'alert':
        this.#queue.push({ type: 'alert', alert: m.alert });
        return;
      case 'record':
        return;
    }
  }

  #takeDirtySeqs(): Map<string, number> | undefined {
    if (this.#seqDirty.size === 0) return undefined;
    const out = new Map<string, number>();
    for (const port of this.#seqDirty) out.set(port, this.#lastSeq.get(port) ?? 0);
    this.#seqDirty.clear();
    return out;
  }

  #flushSeqs(): void {
    const seqs = this.#takeDirtySeqs();
    if (!seqs) return;
    try {
      this.#store.write([], seqs);
    } catch {
      this.#writeErrors++;
      for (const port of seqs.keys()) this.#seqDirty.add(port);
    }
  }

  #write(batch: StoreWrite[]): void {
    // better-sqlite3 is synchronous; the BoundedQueue yields to the event loop (setImmediate)
    // between batches, so serial reads and the bus keep running while a backlog is written.
    const seqs = this.#takeDirtySeqs();
    try {
      this.#store.write(batch, seqs);
    } catch (err) {
      if (seqs) for (const port of seqs.keys()) this.#seqDirty.add(port);
      throw err; // counted by the queue as an error; the batch is lost, the pipeline goes on
    }
  }
}
