import { spawn } from 'node:child_process';

import type { CommandActionConfig } from '../config/sections/alerts.ts';
import { QueuedAction, type ActionJob } from './queued-action.ts';

export type CommandJob = ActionJob;

const STDERR_KEEP_BYTES = 2048;

/**
 * Runs one program per alert with the event JSON on its stdin. `argv` is spawned directly,
 * never through a shell, so nothing in an event (titles are device output) can become shell
 * syntax. One run at a time behind a bounded queue; a run is killed after `timeout_ms`.
 */
export class CommandAction extends QueuedAction {
  readonly #config: CommandActionConfig;

  constructor(rule: string, config: CommandActionConfig) {
    super(rule, 'command', config.queue_capacity);
    this.#config = config;
  }

  protected override process(job: CommandJob): Promise<void> {
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
      this.stopSignal.addEventListener('abort', kill, { once: true });
      const finish = (error?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.stopSignal.removeEventListener('abort', kill);
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
