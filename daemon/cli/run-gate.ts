import { writeFileSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import type { BusEvent } from '../core/bus-event.ts';
import type { EventBus } from '../pipeline/event-bus.ts';
import { renderJunit, type JunitCase } from '../analyze/junit.ts';

export interface RunGateOptions {
  readonly bus: EventBus;
  readonly until?: RegExp;
  readonly failOn: readonly string[];
  readonly junitFile?: string;
}

/**
 * The CI gate of `run` for hardware-in-the-loop jobs: `--until PATTERN` (exit 0 when seen),
 * `--fail-on KINDS` (exit 1 when one occurred first), the caller's timeout (exit 3), and a
 * JUnit file with one test case per check: pattern reached, each fail-on kind, and the
 * device clock within tolerance.
 */
export class RunGate {
  readonly decided: Promise<{ code: number; why: string }>;
  summary = '';
  readonly #o: RunGateOptions;
  readonly #sub: Subscription;
  #matched: { port: string; seq: number; text: string } | undefined;
  readonly #failures = new Map<string, BusEvent[]>();
  readonly #drift = new Map<string, BusEvent>();

  constructor(options: RunGateOptions) {
    this.#o = options;
    let decide!: (v: { code: number; why: string }) => void;
    this.decided = new Promise((resolve) => { decide = resolve; });
    const failOn = new Set(options.failOn);
    this.#sub = options.bus.messages$.subscribe((m) => {
      if (m.type === 'line' && options.until && !this.#matched && options.until.test(m.line.text)) {
        this.#matched = { port: m.line.port, seq: m.line.seq, text: m.line.text };
        decide({ code: 0, why: `pattern /${options.until.source}/ seen on ${m.line.port}` });
      } else if (m.type === 'event') {
        const e = m.event;
        if (e.kind === 'clock.drift') {
          const key = `${e.port}/${String(e.attrs.source ?? '')}`;
          if (e.state === 'cleared') this.#drift.delete(key);
          else this.#drift.set(key, e);
        }
        if (failOn.has(e.kind) && e.state !== 'cleared') {
          this.#failures.set(e.kind, [...(this.#failures.get(e.kind) ?? []), e]);
          // With --until the run stops at the first failure; otherwise it is reported at the end.
          if (options.until && !this.#matched) decide({ code: 1, why: `${e.kind} on ${e.port}: ${e.title}` });
        }
      }
    });
  }

  /** The exit code given how the run ended; writes the JUnit file. */
  finish(code: number): number {
    this.#sub.unsubscribe();
    const failed = [...this.#failures.keys()];
    let exit = code;
    if (code === 0 && failed.length > 0) exit = 1;
    if (this.#o.until || this.#o.failOn.length) {
      const parts = [
        this.#o.until ? `pattern ${this.#matched ? 'reached' : 'NOT reached'}` : '',
        ...this.#o.failOn.map((k) => `${k}: ${this.#failures.get(k)?.length ?? 0}`),
      ].filter(Boolean);
      this.summary = `gate: ${parts.join(', ')} → exit ${exit}`;
    }
    if (this.#o.junitFile) this.#writeJunit();
    return exit;
  }

  #writeJunit(): void {
    const cases: JunitCase[] = [];
    const tc = (name: string, failure?: string) => cases.push({
      name, classname: 'uartscope.run',
      ...(failure !== undefined ? { failure: { message: failure.split('\n')[0]!, type: 'uartscope', text: failure } } : {}),
    });
    if (this.#o.until) tc(`pattern /${this.#o.until.source}/ reached`, this.#matched ? undefined : 'the pattern was not seen before the run ended');
    for (const k of this.#o.failOn) {
      const evs = this.#failures.get(k) ?? [];
      tc(`no ${k}`, evs.length ? evs.map((e) => `${e.port} seq ${e.lines.first}-${e.lines.last}: ${e.title}${e.hint ? `\n  hint: ${e.hint}` : ''}`).join('\n') : undefined);
    }
    const drifting = [...this.#drift.values()];
    tc('device clock within tolerance', drifting.length ? drifting.map((e) => `${e.port}: ${e.title}${e.hint ? ` (${e.hint})` : ''}`).join('\n') : undefined);
    writeFileSync(this.#o.junitFile!, renderJunit({ name: 'uartscope run', cases }));
  }
}
