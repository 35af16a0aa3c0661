import type { WebhookActionConfig } from '../config/sections/alerts.ts';
import { BoundedQueue } from '../pipeline/bounded-queue.ts';
import { abortableSleep } from './abortable-sleep.ts';
import type { ActionStats } from './action-stats.ts';

export interface WebhookJob {
  readonly body: string;
  readonly alertId: string;
}

/** 408 and 429 and 5xx are worth another try; other 4xx mean the request itself is wrong. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs alert payloads to one URL. A bounded queue (drop-newest, counted) in front of one
 * delivery at a time, so a dead receiver costs memory bounded by `queue_capacity` and never
 * blocks the pipeline. Each attempt has its own timeout; failures are retried with
 * exponential backoff and jitter ("equal jitter": half the delay fixed, half random, so
 * retries never collapse to 0 ms; aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter),
 * honouring a `Retry-After` in seconds up to `backoff_max_ms`, as opentelemetry-js's
 * retrying-transport.ts does.
 */
export class WebhookAction {
  readonly stats: ActionStats;
  readonly #config: WebhookActionConfig;
  readonly #queue: BoundedQueue<WebhookJob>;
  readonly #stop = new AbortController();
  readonly #random: () => number;

  constructor(rule: string, config: WebhookActionConfig, random: () => number = Math.random) {
    this.#config = config;
    this.#random = random;
    this.stats = { rule, type: 'webhook', received: 0, succeeded: 0, failed: 0, retries: 0, dropped: 0 };
    this.#queue = new BoundedQueue<WebhookJob>(`alert webhook ${rule}`, config.queue_capacity, async (jobs) => {
      for (const job of jobs) await this.#deliver(job);
    }, 1);
  }

  enqueue(job: WebhookJob): void {
    this.stats.received++;
    if (!this.#queue.push(job)) this.stats.dropped++;
  }

  /** Resolves when every queued delivery has succeeded or given up. */
  drained(): Promise<void> {
    return this.#queue.drained();
  }

  /** Lets queued deliveries finish for up to `deadlineMs`, then aborts the rest (counted as dropped). */
  async stop(deadlineMs = 2000): Promise<void> {
    const closed = this.#queue.close();
    await Promise.race([closed, abortableSleep(deadlineMs, this.#stop.signal)]);
    this.#stop.abort();
    await closed;
  }

  #backoffMs(attempt: number, retryAfter: string | null): number {
    const cap = this.#config.backoff_max_ms;
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
    if (seconds !== undefined) return Math.min(cap, seconds * 1000);
    const exp = Math.min(cap, this.#config.backoff_initial_ms * 2 ** attempt);
    return exp / 2 + this.#random() * (exp / 2);
  }

  async #deliver(job: WebhookJob): Promise<void> {
    if (this.#stop.signal.aborted) {
      this.stats.dropped++;
      return;
    }
    const { url, headers, timeout_ms: timeoutMs, retries } = this.#config;
    for (let attempt = 0; ; attempt++) {
      let retryAfter: string | null = null;
      let giveUp = false;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'x-uartscope-rule': this.stats.rule, 'x-uartscope-alert-id': job.alertId },
          body: job.body,
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#stop.signal]),
        });
        // Read the body so undici can reuse the connection.
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.stats.succeeded++;
          return;
        }
        this.stats.lastError = `HTTP ${res.status}`;
        retryAfter = res.headers.get('retry-after');
        giveUp = !retryable(res.status);
      } catch (err) {
        const e = err as Error;
        this.stats.lastError = e.name === 'TimeoutError' ? `timeout after ${timeoutMs} ms` : `${e.name}: ${e.message}`;
      }
      if (giveUp || attempt >= retries || this.#stop.signal.aborted) {
        this.stats.failed++;
        return;
      }
      this.stats.retries++;
      await abortableSleep(this.#backoffMs(attempt, retryAfter), this.#stop.signal);
    }
  }
}
