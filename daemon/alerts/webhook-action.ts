import type { WebhookActionConfig } from '../config/sections/alerts.ts';
import { abortableSleep } from './abortable-sleep.ts';
import { QueuedAction, type ActionJob } from './queued-action.ts';

export type WebhookJob = ActionJob;

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
export class WebhookAction extends QueuedAction {
  readonly #config: WebhookActionConfig;
  readonly #random: () => number;

  constructor(rule: string, config: WebhookActionConfig, random: () => number = Math.random) {
    super(rule, 'webhook', config.queue_capacity);
    this.#config = config;
    this.#random = random;
  }

  #backoffMs(attempt: number, retryAfter: string | null): number {
    const cap = this.#config.backoff_max_ms;
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
    if (seconds !== undefined) return Math.min(cap, seconds * 1000);
    const exp = Math.min(cap, this.#config.backoff_initial_ms * 2 ** attempt);
    return exp / 2 + this.#random() * (exp / 2);
  }

  protected override async process(job: WebhookJob): Promise<void> {
    if (this.stopSignal.aborted) {
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
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.stopSignal]),
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
      if (giveUp || attempt >= retries || this.stopSignal.aborted) {
        this.stats.failed++;
        return;
      }
      this.stats.retries++;
      await abortableSleep(this.#backoffMs(attempt, retryAfter), this.stopSignal);
    }
  }
}
