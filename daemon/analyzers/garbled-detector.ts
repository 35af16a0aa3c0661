import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';

export interface GarbledDetectorOptions {
  readonly windowLines: number;
  readonly minBytes: number;
  readonly raiseRatio: number;
  readonly clearRatio: number;
  /** Garbled lines followed by an ESP `ready` within this many lines are boot-ROM noise. */
  readonly espNoiseLines: number;
}

interface Pending {
  readonly firstSeq: number;
  readonly firstHostTime: HostTime;
  lastSeq: number;
  linesSince: number;
  ratio: number;
  nonText: number;
  bytes: number;
}

// `ready` at the end of a line: the ESP-AT boot message, possibly glued to the ROM's noise.
const ESP_READY = /(?:^|[^A-Za-z0-9])ready\s*$/;

/**
 * `port.garbled`: the rate of non-text bytes (`Line.nonTextBytes`) over the last lines is
 * high — a wrong baud rate, or an ESP module's boot ROM at 74880 baud. Raised once, cleared
 * when the window is clean again. Bytes just before an ESP `ready` are expected boot noise
 * (formats §5.4), so a raise waits `espNoiseLines` lines for a `ready` that would excuse it.
 */
export class GarbledDetector implements RecordAnalyzer {
  readonly name = 'garbled-detector';
  #window: Array<{ bytes: number; nonText: number }> = [];
  #sumBytes = 0;
  #sumNonText = 0;
  #state: 'clean' | 'pending' | 'raised' = 'clean';
  #pending: Pending | null = null;
  #firstGarbled: { seq: number; hostTime: HostTime } | null = null;
  /** Bursts excused as ESP boot noise. */
  excused = 0;

  constructor(private readonly options: GarbledDetectorOptions) {}

  onLine(line: Line, ctx: AnalyzerContext): void {
    const bytes = line.bytes.length > 0 ? line.bytes.length : line.text.length;
    const nonText = line.nonTextBytes;
    this.#push(bytes, nonText);
    if (nonText > 0 && this.#firstGarbled === null) this.#firstGarbled = { seq: line.seq, hostTime: line.hostTime };
    if (nonText === 0 && this.#sumNonText === 0) this.#firstGarbled = null;

    if (ESP_READY.test(line.text) && this.#state !== 'raised') {
      // Boot-ROM noise before `ready`: expected, forget it.
      if (this.#state === 'pending' || this.#sumNonText > 0) this.excused++;
      this.#reset();
      return;
    }
    const ratio = this.#sumBytes > 0 ? this.#sumNonText / this.#sumBytes : 0;
    if (this.#state === 'clean') {
      if (this.#sumNonText >= this.options.minBytes && ratio >= this.options.raiseRatio) {
        const first = this.#firstGarbled ?? { seq: line.seq, hostTime: line.hostTime };
        this.#pending = { firstSeq: first.seq, firstHostTime: first.hostTime, lastSeq: line.seq, linesSince: 0, ratio, nonText: this.#sumNonText, bytes: this.#sumBytes };
        this.#state = 'pending';
        if (this.options.espNoiseLines === 0) this.#raise(ctx);
      }
      return;
    }
    if (this.#state === 'pending') {
      const p = this.#pending;
      if (!p) return;
      p.linesSince++;
      if (nonText > 0) {
        p.lastSeq = line.seq;
        if (ratio > p.ratio) Object.assign(p, { ratio, nonText: this.#sumNonText, bytes: this.#sumBytes });
      }
      // No `ready` within the grace lines: not boot noise (continuous garbage is a wrong baud rate).
      if (p.linesSince >= this.options.espNoiseLines) this.#raise(ctx);
      return;
    }
    // raised
    if (ratio <= this.options.clearRatio) {
      ctx.emitEvent({
        kind: 'port.garbled',
        severity: 'warning',
        port: ctx.port,
        boot: ctx.currentBoot()?.id ?? null,
        hostTime: line.hostTime,
        title: `Input on ${ctx.port} is clean again`,
        attrs: { ratio: round3(ratio) },
        lines: { port: ctx.port, first: line.seq, last: line.seq },
        state: 'cleared',
      });
      this.#state = 'clean';
      this.#firstGarbled = null;
    }
  }

  end(_now: HostTime, ctx: AnalyzerContext): void {
    if (this.#state === 'pending') this.#raise(ctx);
  }

  #raise(ctx: AnalyzerContext): void {
    const p = this.#pending;
    if (!p) return;
    this.#state = 'raised';
    this.#pending = null;
    const pct = Math.round(p.ratio * 100);
    ctx.emitEvent({
      kind: 'port.garbled',
      severity: 'warning',
      port: ctx.port,
      boot: ctx.currentBoot()?.id ?? null,
      hostTime: p.firstHostTime,
      title: `Garbled input on ${ctx.port}: ${pct}% non-text bytes (wrong baud rate?)`,
      attrs: { ratio: round3(p.ratio), nonTextBytes: p.nonText, bytes: p.bytes, windowLines: this.options.windowLines },
      hint: "a stream of non-text bytes: the port's baud rate likely differs from the device's (check `baud`), or an ESP module's boot ROM prints at 74880 baud on this UART (formats §5.4)",
      lines: { port: ctx.port, first: p.firstSeq, last: p.lastSeq },
      state: 'raised',
    });
  }

  #push(bytes: number, nonText: number): void {
    this.#window.push({ bytes, nonText });
    this.#sumBytes += bytes;
    this.#sumNonText += nonText;
    while (this.#window.length > this.options.windowLines) {
      const old = this.#window.shift();
      if (!old) break;
      this.#sumBytes -= old.bytes;
      this.#sumNonText -= old.nonText;
    }
  }

  #reset(): void {
    this.#window = [];
    this.#sumBytes = 0;
    this.#sumNonText = 0;
    this.#state = 'clean';
    this.#pending = null;
    this.#firstGarbled = null;
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
