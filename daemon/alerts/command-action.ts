import { spawn } from 'node:child_process';

import type { CommandActionConfig } from '../config/sections/alerts.ts';
import { BoundedQueue } from '../pipeline/bounded-queue.ts';
import { abortableSleep } from './abortable-sleep.ts';
import type { ActionStats } from './action-stats.ts';

export interface CommandJob {
  readonly body: string;
  readonly alertId: string;
}

const STDERR_KEEP_BYTES = 2048;

/**
 * Runs one program per alert with the event JSON on its stdin. `argv` is spawned directly,
 * never through a shell, so nothing in an event (titles are device output) can become shell
 * syntax. One run at a time behind a bounded queue; a run is killed after `timeout_ms`.
 */
export class CommandAction {
  readonly stats: ActionStats;
  readonly #config: CommandActionConfig;
  readonly #queue: BoundedQueue<CommandJob>;
  readonly #stop = new AbortController();

  constructor(rule: string, config: CommandActionConfig) {
    this.#config = config;
    this.stats = { rule, type: 'command', received: 0, succeeded: 0, failed: 0, retries: 0, dropped: 0 };
    this.#queue = new BoundedQueue<CommandJob>(`alert command ${rule}`, config.queue_capacity, async (jobs) => {
      for (const job of jobs) await this.#run(job);
    }, 1);
  }

  enqueue(job: CommandJob): void {
    this.stats.received++;
    if (!this.#queue.push(job)) this.stats.dropped++;
  }

  drained(): Promise<void> {
    return this.#queue.drained();
  }

  /** Lets queued runs finish for up to `deadlineMs`, then kills the running one and drops the rest. */
  async stop(deadlineMs = 2000): Promise<void> {
    const closed = this.#queue.close();
    await Promise.race([closed, abortableSleep(deadlineMs, this.#stop.signal)]);
    this.#stop.abort();
    await closed;
  }

  #run(job: CommandJob): Promise<void> {
    if (this.#stop.signal.aborted) {
      this.stats.dropped++;
      return Promise.resolve();
    }
    const [file, ...args] = this.#config.argv;
    return new Promise<void>((resolve) => {
      let stderr = '';
      let settled = false;
      let timedOut = false;
      const child = spawn(file ?? '', args, {
        shell: false,
        stdio: ['pipe', 'ignore', 'pipe'],
        env: { ...process.env, UARTSCOPE_ALERT_RULE: this.stats.rule, UARTSCOPE_ALERT_ID: job.alertId },
      });
      const kill = (): void => {
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, this.#config.timeout_ms);
      this.#stop.signal.addEventListener('abort', kill, { once: true });
      const finish = (error?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#stop.signal.removeEventListener('abort', kill);
        if (error === undefined) this.stats.succeeded++;
        else {
          this.stats.failed++;
          this.stats.lastError = error;
        }
        resolve();
      };
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (s: string) => {
        stderr = (stderr + s).slice(-STDERR_KEEP_BYTES);
      });
      // A program that exits without reading its stdin gives EPIPE: not a failure of the run.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(`${job.body}\n`);
      child.on('error', (err) => finish(`${this.#config.argv[0]}: ${err.message}`));
      child.on('close', (code, signal) => {
        if (timedOut) finish(`killed after ${this.#config.timeout_ms} ms`);
        else if (code === 0) finish();
        else finish(`exit ${code ?? signal}${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
      });
    });
  }
}
