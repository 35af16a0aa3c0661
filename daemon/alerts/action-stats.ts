/** Counters of one alert action (a webhook or a command of one rule). */
export interface ActionStats {
  readonly rule: string;
  readonly type: 'webhook' | 'command';
  /** Deliveries/runs queued. */
  received: number;
  /** Delivered (2xx) or exited 0. */
  succeeded: number;
  /** Gave up: retries exhausted, a non-retryable status, a non-zero exit, a timeout. */
  failed: number;
  /** Extra attempts made (webhook). */
  retries: number;
  /** Not queued: the queue was full, or the daemon was stopping. */
  dropped: number;
  lastError?: string;
}
