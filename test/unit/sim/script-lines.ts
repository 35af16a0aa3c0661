import type { SimWrite } from '../../../daemon/sim/sim-write.ts';
import type { UartName } from '../../../daemon/sim/sim-uart.ts';

/** One line of a script as a reader would frame it, with the host time its write started. */
export interface ScriptLine {
  readonly atMs: number;
  readonly uart: UartName;
  /** The text without CR LF and without ANSI colours. */
  readonly text: string;
  readonly raw: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** The first writes of a script up to `untilMs` (scripts may be endless). */
export function take(writes: Iterable<SimWrite>, untilMs: number): SimWrite[] {
  const out: SimWrite[] = [];
  for (const w of writes) {
    if (w.atMs >= untilMs) break;
    out.push(w);
  }
  return out;
}

export function text(w: SimWrite): string {
  return Buffer.from(w.bytes).toString('latin1');
}

/** Splits each write on CR LF; writes here never split a line across two writes. */
export function lines(writes: readonly SimWrite[], uart?: UartName): ScriptLine[] {
  const out: ScriptLine[] = [];
  for (const w of writes) {
    if (uart && w.uart !== uart) continue;
    const parts = text(w).split('\r\n');
    if (parts.at(-1) === '') parts.pop();
    for (const raw of parts) out.push({ atMs: w.atMs, uart: w.uart, raw, text: raw.replace(ANSI, '') });
  }
  return out;
}

const STAMP = /^\[(\d+):(\d{2}):(\d{2})\.(\d{3}),(\d{3})\] /;

/** Device ms of a Zephyr log line's timestamp, or undefined. */
export function deviceMs(line: ScriptLine): number | undefined {
  const m = STAMP.exec(line.text);
  if (!m) return undefined;
  const [h, mi, s, ms] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  return ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

export function uptimeMs(line: ScriptLine): number | undefined {
  const m = /^Uptime: (\d+) ms$/.exec(line.text);
  return m ? Number(m[1]) : undefined;
}

export function printableShare(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d) n++;
  return bytes.length === 0 ? 1 : n / bytes.length;
}
