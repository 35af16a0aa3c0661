import type { Line } from '../../../daemon/core/line.ts';

/** A Line as the framer would give it (tests only): text without terminator and ANSI. */
export function makeLine(text: string, seq = 0, hostTime = 1_700_000_000_000_000, port = 'p'): Line {
  const bytes = Buffer.from(`${text}\r\n`, 'utf8');
  return { port, seq, hostTime, bytes, terminator: 'crlf', text, nonTextBytes: 0, flags: { partial: false, truncated: false } };
}

/** Lines from texts, seq 0…, host time 1 ms apart unless `times` (µs) is given. */
export function makeLines(texts: readonly string[], times?: readonly number[]): Line[] {
  return texts.map((t, i) => makeLine(t, i, times?.[i] ?? 1_700_000_000_000_000 + i * 1000));
}
