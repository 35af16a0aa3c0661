import { BoundedQueue } from '../pipeline/bounded-queue.ts';
import { abortableSleep } from './abortable-sleep.ts';
import type { ActionStats } from './action-stats.ts';

/** What an action is handed per alert: the payload JSON and the alert's id. */
export interface ActionJob {
  readonly body: string;
  readonly alertId: string;
}

/**
 * One job at a time behind a bounded queue (drop-newest, counted), so a dead receiver or a
 * hung program costs memory bounded by the queue and never blocks the pipeline. `stop` lets
 * queued jobs finish for a deadline, then aborts `stopSignal` and drops the rest.
 */
export abstract class QueuedAction {
  readonly stats: ActionStats;
  readonly #queue: BoundedQueue<ActionJob>;
  readonly #stop = new AbortController();

  constructor(rule: string, type: ActionStats['type'], capacity: number) {
    this.stats = { rule, type, received: 0, succeeded: 0, failed: 0, retries: 0, dropped: 0 };
    this.#queue = new BoundedQueue<ActionJob>(`alert ${type} ${rule}`, capacity, async (jobs) => {
      for (const job of jobs) {
        if (this.#stop.signal.aborted) this.stats.dropped++;
        else await this.process(job);
      }
    }, 1);
  }

  /** Aborted when `stop`'s deadline passed: running work must give up. */
  protected get stopSignal(): AbortSignal {
    return this.#stop.signal;
  }

  protected abstract process(job: ActionJob): Promise<void>;

  enqueue(job: ActionJob): void {
    this.stats.received++;
    if (!this.#queue.push(job)) this.stats.dropped++;
  }

  /** Resolves when every queued job has finished or given up. */
  drained(): Promise<void> {
    return this.#queue.drained();
  }

  async stop(deadlineMs = 2000): Promise<void> {
    const closed = this.#queue.close();
    await Promise.race([closed, abortableSleep(deadlineMs, this.#stop.signal)]);
    this.#stop.abort();
    await closed;
  }
}
