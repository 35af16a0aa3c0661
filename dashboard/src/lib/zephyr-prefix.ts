import type { AnsiSpan } from './ansi.ts';

// Zephyr's log_output prefix: `[00:00:08.001,000] <inf> module: ` (timestamp form varies:
// `[00:00:08.001,000]`, `[8001]`, `[00:00:08.001]`). Shown in its own columns, so the message
// column starts after it.
const PREFIX = /^\[[^\]]{1,40}\]\s+<(?:err|wrn|inf|dbg)>\s+[\w.\-/]{1,64}:\s?/;

export function zephyrPrefixLength(text: string): number {
  return PREFIX.exec(text)?.[0].length ?? 0;
}

/** Drops the first `n` visible characters of a span list. */
export function dropChars(spans: readonly AnsiSpan[], n: number): AnsiSpan[] {
  const out: AnsiSpan[] = [];
  let left = n;
  for (const s of spans) {
    if (left >= s.text.length) {
      left -= s.text.length;
      continue;
    }
    out.push(left > 0 ? { ...s, text: s.text.slice(left) } : s);
    left = 0;
  }
  return out;
}
