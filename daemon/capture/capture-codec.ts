import { formatHostTime, isoSecondPrefix, parseHostTime, type HostTime } from '../core/host-time.ts';
import type { Line, Terminator } from '../core/line.ts';

/**
 * The capture file format, one received line per file line:
 *
 *     2026-11-24T23:58:20.123456Z 42 crlf [00:00:12.001,000] <err> wifi_esp_at: Failed…
 *     2026-11-24T23:58:21.000000Z - disconnected bad file descriptor
 *
 * host time (ISO 8601, UTC, µs), `seq` (or `-` for a marker), how the line ended
 * (`lf` `crlf` `cr` `none`), then the line's bytes without the terminator, escaped so
 * the file stays one line per line and readable with `less`: `\\`, `\r`, `\n`, `\t`,
 * `\0`, `\e` (ESC), and `\xHH` for every other control byte and every byte that is not
 * part of valid UTF-8. Printable ASCII and valid UTF-8 stand as they are. Decoding gives
 * back exactly the bytes received (test/property/capture-codec.test.ts). Lines starting
 * with `#` are comments (the header).
 */
export const CAPTURE_HEADER_PREFIX = '# uartscope capture v1';

export type CaptureEntry =
  | { readonly kind: 'line'; readonly hostTime: HostTime; readonly seq: number; readonly terminator: Terminator; readonly bytes: Uint8Array }
  | { readonly kind: 'marker'; readonly hostTime: HostTime; readonly marker: string; readonly detail: string };

const TERMINATOR_BYTES: Record<Terminator, number> = { lf: 1, crlf: 2, cr: 1, none: 0 };
const TERMINATORS = new Set<string>(['lf', 'crlf', 'cr', 'none']);
const HEX = '0123456789abcdef';

/** The line's bytes without its terminator. */
export function lineBody(line: Line): Uint8Array {
  return line.bytes.subarray(0, line.bytes.length - TERMINATOR_BYTES[line.terminator]);
}

export function encodeCaptureLine(line: Line): string {
  return `${formatHostTime(line.hostTime)} ${line.seq} ${line.terminator} ${escapedBody(line)}\n`;
}

/**
 * The escaped body, reusing the decoded text when it is the bytes themselves: a text of printable
 * ASCII without `\` as long as the body can only come from those very bytes (ANSI stripping,
 * multi-byte UTF-8 and U+FFFD would all change the length or the characters). Saves three
 * allocations per line on the ingest thread, the common Zephyr line being exactly that.
 */
function escapedBody(line: Line): string {
  const { text } = line;
  const bodyLength = line.bytes.length - TERMINATOR_BYTES[line.terminator];
  if (text.length === bodyLength) {
    let plain = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x5c) { plain = false; break; }
    }
    if (plain) return text;
  }
  return escapeBytes(lineBody(line));
}

/** Room {@link encodeCaptureLineInto} may need for a line: the prefix plus every body byte as `\xHH`. */
export function captureLineMaxBytes(line: Line): number {
  // Host time is whole µs; anything else is written as formatHostTime gives it, however long.
  const time = Number.isInteger(line.hostTime) ? 0 : formatHostTime(line.hostTime).length;
  return CAPTURE_PREFIX_MAX_BYTES + time + 4 * line.bytes.length + 1;
}

/** Time (27) + seq (up to 16 digits) + terminator (4) + three spaces, rounded up. */
const CAPTURE_PREFIX_MAX_BYTES = 64;

/**
 * The bytes of {@link encodeCaptureLine}, written straight into `out` at `at` (which has
 * {@link captureLineMaxBytes} of room); returns the offset after them. The capture writer keeps
 * what it has not flushed yet off the JS heap this way: held as strings for up to the flush
 * interval, lines outlived the ingest thread's young-generation collections and were copied by
 * each one, pauses of 2–3 ms every ~200 ms at 25,000 lines/s, and the lines that arrived in them
 * were stamped late (they were the tail of the host-time p99).
 */
export function encodeCaptureLineInto(line: Line, out: Buffer, at: number): number {
  // Written digit by digit: formatHostTime and String(seq) would make two strings a line.
  const t = line.hostTime;
  const second = Math.floor(t / 1_000_000);
  const frac = t - second * 1_000_000;
  if (Number.isInteger(frac)) {
    const prefix = isoSecondPrefix(second);
    for (let k = 0; k < prefix.length; k++) out[at++] = prefix.charCodeAt(k);
    at = writeDigits(out, at, frac, 6);
    out[at++] = 0x5a; // Z
  } else {
    at += out.write(formatHostTime(t), at, 'latin1');
  }
  out[at++] = 0x20;
  const seq = line.seq;
  at = Number.isSafeInteger(seq) && seq >= 0 ? writeDigits(out, at, seq, 1) : at + out.write(String(seq), at, 'latin1');
  out[at++] = 0x20;
  const word = line.terminator;
  for (let k = 0; k < word.length; k++) out[at++] = word.charCodeAt(k);
  out[at++] = 0x20;
  const bytes = line.bytes;
  const bodyLength = bytes.length - TERMINATOR_BYTES[line.terminator];
  if (isPlain(bytes, bodyLength)) {
    for (let i = 0; i < bodyLength; i++) out[at++] = bytes[i]!;
  } else {
    at += out.write(escapeBytes(bytes.subarray(0, bodyLength)), at, 'utf8');
  }
  out[at++] = 0x0a;
  return at;
}

/** A non-negative integer in decimal, zero-padded to `minDigits`; returns the offset after it. */
function writeDigits(out: Buffer, at: number, value: number, minDigits: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  if (digits < minDigits) digits = minDigits;
  let v = value;
  for (let k = at + digits - 1; k >= at; k--) {
    out[k] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}

export function encodeMarker(hostTime: HostTime, marker: string, detail = ''): string {
  const body = detail ? `${marker} ${escapeBytes(Buffer.from(detail, 'utf8'))}` : marker;
  return `${formatHostTime(hostTime)} - ${body}\n`;
}

/** Length in bytes of a valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  let n: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) { n = 2; min = 0x80; }
  else if (c >= 0xe0 && c <= 0xef) { n = 3; min = 0x800; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4; min = 0x10000; }
  else return 0;
  if (i + n > b.length) return 0;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const d = b[i + k]!;
    if ((d & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/** True when the first `length` bytes are printable ASCII without `\`: they stand in a capture as they are. */
function isPlain(b: Uint8Array, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x5c) return false;
  }
  return true;
}

export function escapeBytes(b: Uint8Array): string {
  // Fast path: printable ASCII without a backslash is the common Zephyr line.
  if (isPlain(b, b.length)) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  let out = '';
  let runStart = 0;
  const flush = (end: number) => {
    if (end > runStart) out += Buffer.from(b.buffer, b.byteOffset + runStart, end - runStart).toString('utf8');
  };
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c >= 0x20 && c <= 0x7e && c !== 0x5c) { i++; continue; }
    if (c >= 0x80) {
      const n = utf8SequenceLength(b, i);
      if (n > 0) { i += n; continue; }
    }
    flush(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x0d: out += '\\r'; break;
      case 0x0a: out += '\\n'; break;
      case 0x09: out += '\\t'; break;
      case 0x00: out += '\\0'; break;
      case 0x1b: out += '\\e'; break;
      default: out += `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
    }
    i++;
    runStart = i;
  }
  flush(b.length);
  return out;
}

export function unescapeBytes(s: string): Uint8Array {
  if (!s.includes('\\')) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0x5c) continue;
    if (i > runStart) parts.push(Buffer.from(s.slice(runStart, i), 'utf8'));
    const e = s[i + 1];
    let byte: number;
    let len = 2;
    switch (e) {
      case '\\': byte = 0x5c; break;
      case 'r': byte = 0x0d; break;
      case 'n': byte = 0x0a; break;
      case 't': byte = 0x09; break;
      case '0': byte = 0x00; break;
      case 'e': byte = 0x1b; break;
      case 'x': {
        const v = Number.parseInt(s.slice(i + 2, i + 4), 16);
        byte = Number.isNaN(v) ? 0x5c : v;
        len = Number.isNaN(v) ? 1 : 4;
        break;
      }
      default: byte = 0x5c; len = 1; // a stray backslash stands for itself
    }
    parts.push(Buffer.of(byte));
    i += len - 1;
    runStart = i + 1;
  }
  if (runStart < s.length) parts.push(Buffer.from(s.slice(runStart), 'utf8'));
  return Buffer.concat(parts);
}

const TERMINATOR_SUFFIX: Record<Terminator, Uint8Array> = {
  lf: Buffer.of(0x0a),
  crlf: Buffer.of(0x0d, 0x0a),
  cr: Buffer.of(0x0d),
  none: Buffer.alloc(0),
};

/** One file line (without its trailing newline) → entry; null for comments, blank or malformed lines. */
export function decodeCaptureLine(text: string): CaptureEntry | null {
  if (text.length === 0 || text.startsWith('#')) return null;
  const s1 = text.indexOf(' ');
  if (s1 < 0) return null;
  const hostTime = parseHostTime(text.slice(0, s1));
  if (hostTime === undefined) return null;
  const s2 = text.indexOf(' ', s1 + 1);
  const seqField = s2 < 0 ? text.slice(s1 + 1) : text.slice(s1 + 1, s2);
  if (seqField === '-') {
    const rest = s2 < 0 ? '' : text.slice(s2 + 1);
    const sp = rest.indexOf(' ');
    const marker = sp < 0 ? rest : rest.slice(0, sp);
    const detail = sp < 0 ? '' : Buffer.from(unescapeBytes(rest.slice(sp + 1))).toString('utf8');
    return { kind: 'marker', hostTime, marker, detail };
  }
  if (!/^\d+$/.test(seqField) || s2 < 0) return null;
  const s3 = text.indexOf(' ', s2 + 1);
  const term = s3 < 0 ? text.slice(s2 + 1) : text.slice(s2 + 1, s3);
  if (!TERMINATORS.has(term)) return null;
  const terminator = term as Terminator;
  const body = unescapeBytes(s3 < 0 ? '' : text.slice(s3 + 1));
  const suffix = TERMINATOR_SUFFIX[terminator];
  const bytes = new Uint8Array(body.length + suffix.length);
  bytes.set(body, 0);
  bytes.set(suffix, body.length);
  return { kind: 'line', hostTime, seq: Number(seqField), terminator, bytes };
}
