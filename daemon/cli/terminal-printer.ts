import type { BusEvent, Severity } from '../core/bus-event.ts';
import type { Line } from '../core/line.ts';
import type { EventBus } from '../pipeline/event-bus.ts';
import type { QueueStats } from '../pipeline/bounded-queue.ts';
import type { Runtime } from '../pipeline/runtime.ts';
import type { Sink } from '../pipeline/sink.ts';
import type { Subscription } from 'rxjs';

const PORT_COLOURS = [36, 35, 34, 32, 33, 96, 95, 94];
const SEVERITY_STYLE: Record<Severity, string> = { critical: '\x1b[1;97;41m', error: '\x1b[1;31m', warning: '\x1b[1;33m', info: '\x1b[1;36m' };
const LEVEL = /<(err|wrn)>|^([EW]): |BAO (ERROR|WARNING)|CROSSCONHYP (ERROR|WARNING)|^(ERROR|FAIL)$/;

export interface TerminalPrinterOptions {
  readonly out: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly colour: boolean;
  /** Print lines (not only events). */
  readonly lines: boolean;
  /** Above this many bytes waiting in the output stream, lines are skipped and counted (a slow terminal never grows memory). */
  readonly maxBufferedBytes?: number;
}

function clockTime(t: number): string {
  const d = new Date(Math.floor(t / 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(t % 1_000_000, 6)}`;
}

/** The live terminal view: port label, host time, level colour; events highlighted between the lines. */
export class TerminalPrinter implements Sink {
  readonly name = 'terminal';
  readonly #o: TerminalPrinterOptions;
  readonly #colourOf = new Map<string, number>();
  #width = 4;
  #sub: Subscription | undefined;
  #skipped = 0;
  readonly #stats: QueueStats = { received: 0, delivered: 0, dropped: 0, droppedBy: {}, errors: 0, depth: 0, capacity: 0 };

  constructor(options: TerminalPrinterOptions) {
    this.#o = options;
  }

  start(bus: EventBus, runtime: Runtime): void {
    for (const p of runtime.ports()) {
      this.#colourOf.set(p.name, PORT_COLOURS[this.#colourOf.size % PORT_COLOURS.length]!);
      this.#width = Math.max(this.#width, p.name.length);
    }
    this.#sub = bus.messages$.subscribe((m) => {
      if (m.type === 'line' && this.#o.lines) this.#line(m.line);
      else if (m.type === 'event') this.#event(m.event);
    });
  }

  async stop(): Promise<void> {
    this.#sub?.unsubscribe();
    if (this.#skipped > 0) this.#write(`[uartscope] ${this.#skipped} lines not shown: the terminal could not keep up (all are in the captures)\n`);
  }

  stats(): QueueStats {
    return this.#stats;
  }

  #c(code: string, text: string): string {
    return this.#o.colour ? `${code}${text}\x1b[0m` : text;
  }

  #write(text: string): boolean {
    const out = this.#o.out as NodeJS.WriteStream;
    if ((out.writableLength ?? 0) > (this.#o.maxBufferedBytes ?? 1 << 20)) {
      this.#skipped++;
      this.#stats.dropped++;
      this.#stats.droppedBy.terminal_slow = (this.#stats.droppedBy.terminal_slow ?? 0) + 1;
      return false;
    }
    out.write(text);
    this.#stats.delivered++;
    return true;
  }

  #label(port: string): string {
    return this.#c(`\x1b[${this.#colourOf.get(port) ?? 37}m`, port.padEnd(this.#width));
  }

  #line(line: Line): void {
    this.#stats.received++;
    if (line.text.length === 0 && !line.flags.partial) return;
    const m = this.#o.colour ? LEVEL.exec(line.text) : null;
    const isErr = m !== null && (m[1] === 'err' || m[2] === 'E' || m[3] === 'ERROR' || m[4] === 'ERROR' || m[5] !== undefined);
    const body = m ? this.#c(isErr ? '\x1b[31m' : '\x1b[33m', line.text) : line.text;
    const marks = `${line.flags.partial ? this.#c('\x1b[2m', ' ⏎partial') : ''}${line.flags.truncated ? this.#c('\x1b[2m', ' ✂cut') : ''}`;
    this.#write(`${this.#c('\x1b[2m', clockTime(line.hostTime))} ${this.#label(line.port)} │ ${body}${marks}\n`);
  }

  #event(e: BusEvent): void {
    const head = this.#c(SEVERITY_STYLE[e.severity], ` ${e.kind}${e.state && e.state !== 'raised' ? ` (${e.state})` : ''} `);
    const hint = e.hint ? `\n${' '.repeat(16 + this.#width)}  ↳ ${e.hint}` : '';
    this.#write(`${this.#c('\x1b[2m', clockTime(e.hostTime))} ${this.#label(e.port)} ▶ ${head} ${e.title}${hint}\n`);
  }
}
