import type { HostTime } from '../core/host-time.ts';
import type { Line, Terminator } from '../core/line.ts';
import { stripAnsi } from './ansi.ts';
import type { Mutable } from '../core/mutable.ts';

export interface LineFramerOptions {
  readonly port: string;
  /** Bits per second; each byte takes 10 bits on the wire (8N1: start + 8 data + stop). */
  readonly baud: number;
  readonly maxLineBytes: number;
  /** seq of the first line (continues a previous run's numbering). */
  readonly firstSeq: number;
  readonly onLine: (line: Line) => void;
}

export interface FramerCounters {
  lines: number;
  bytes: number;
  truncated: number;
  partial: number;
}

const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Bytes → lines, the way a terminal sees them: LF, CRLF and a lone CR each end a line
 * (reference/formats.md §1.5). Host time is taken here and nowhere else: a line gets the
 * arrival time of its first byte. A read chunk holds many bytes that arrived one after
 * another, so a byte `k` places before the chunk's end arrived `k × 10 / baud` s before the
 * read; lines inside a burst are back-dated by that wire time instead of all sharing the
 * read's timestamp (grabserial and tio stamp at the first byte too).
 *
 * A CR at the end of a chunk is held until the next byte shows whether an LF follows
 * (CRLF) or not (lone CR), so the result does not depend on how the stream was chunked.
 * {@link flushIdle} ends a line that stopped without a terminator (a hypervisor's
 * `BAO ERROR: …` is never followed by a newline: the CPU halts) and marks it partial.
 */
export class LineFramer {
  readonly counters: FramerCounters = { lines: 0, bytes: 0, truncated: 0, partial: 0 };
  readonly #opts: LineFramerOptions;
  readonly #byteUs: number;
  #pending: Buffer;
  #pendingLen = 0;
  #pendingStart: HostTime = 0;
  #crPending = false;
  #lastStamp: HostTime = 0;
  #seq: number;

  constructor(options: LineFramerOptions) {
    if (!(options.baud > 0)) throw new TypeError(`"baud" of port ${options.port} must be positive, got ${options.baud}`);
    if (!(options.maxLineBytes >= 1)) throw new TypeError(`"max_line_bytes" of port ${options.port} must be at least 1`);
    this.#opts = options;
    this.#byteUs = 10e6 / options.baud;
    this.#pending = Buffer.allocUnsafe(Math.min(options.maxLineBytes, 4096) + 2);
    this.#seq = options.firstSeq;
  }

  /** seq the next line will get. */
  get nextSeq(): number {
    return this.#seq;
  }

  /** True when bytes are held: a line without terminator yet, or a CR waiting for a possible LF. */
  get holding(): boolean {
    return this.#pendingLen > 0 || this.#crPending;
  }

  push(chunk: Uint8Array, readAt: HostTime): void {
    const n = chunk.length;
    if (n === 0) return;
    this.counters.bytes += n;
    // Byte i's arrival is readAt - (n - 1 - i) × byteUs: a method, not a closure made per chunk
    // (tsx's keepNames wraps every closure in an Object.defineProperty of its name: ~1 % of a core here).
    const lastIndex = n - 1;
    let i = 0;
    if (this.#crPending) {
      this.#crPending = false;
      if (chunk[0] === LF) {
        this.#emit('crlf', false);
        i = 1;
      } else {
        this.#emit('cr', false);
      }
    }
    while (i < n) {
      let j = i;
      while (j < n) {
        const c = chunk[j];
        if (c === LF || c === CR) break;
        j++;
      }
      if (j > i || this.#pendingLen === 0) {
        if (this.#pendingLen === 0) this.#pendingStart = this.#arrival(readAt, lastIndex - i);
        this.#append(chunk, i, j, readAt, lastIndex);
      }
      if (j === n) break;
      if (chunk[j] === LF) {
        this.#emit('lf', false);
        i = j + 1;
      } else if (j + 1 < n) {
        if (chunk[j + 1] === LF) {
          this.#emit('crlf', false);
          i = j + 2;
        } else {
          this.#emit('cr', false);
          i = j + 1;
        }
      } else {
        this.#crPending = true;
        i = n;
      }
    }
  }

  /** Ends what is held: a held CR as a lone-CR line, a line without terminator as partial. */
  flushIdle(): void {
    if (this.#crPending) {
      this.#crPending = false;
      this.#emit('cr', false);
    } else if (this.#pendingLen > 0) {
      this.#emit('none', true);
    }
  }

  /** Arrival of the byte `before` places ahead of a chunk's last byte, never before the previous line's. */
  #arrival(readAt: HostTime, before: number): HostTime {
    const t = Math.round(readAt - before * this.#byteUs);
    return t < this.#lastStamp ? this.#lastStamp : t;
  }

  #append(chunk: Uint8Array, from: number, to: number, readAt: HostTime, lastIndex: number): void {
    const max = this.#opts.maxLineBytes;
    while (from < to) {
      const room = max - this.#pendingLen;
      if (room <= 0) {
        // Cut: the line so far leaves marked truncated; the rest starts a new line.
        this.counters.truncated++;
        this.#emit('none', false, true);
        this.#pendingStart = this.#arrival(readAt, lastIndex - from);
        continue;
      }
      const take = Math.min(room, to - from);
      this.#ensure(this.#pendingLen + take + 2);
      // Byte by byte: `set(chunk.subarray(…))` and `Buffer#copy` of part of a buffer each make a
      // view object, two a line, the ingest thread's largest garbage after the line itself.
      const pending = this.#pending;
      let w = this.#pendingLen;
      for (let k = from, end = from + take; k < end; k++) pending[w++] = chunk[k]!;
      this.#pendingLen = w;
      from += take;
    }
  }

  #ensure(size: number): void {
    if (size <= this.#pending.length) return;
    const next = Buffer.allocUnsafe(Math.max(size, this.#pending.length * 2));
    this.#pending.copy(next, 0, 0, this.#pendingLen);
    this.#pending = next;
  }

  #emit(terminator: Terminator, partial: boolean, truncated = false): void {
    const bodyLen = this.#pendingLen;
    const termLen = terminator === 'crlf' ? 2 : terminator === 'none' ? 0 : 1;
    const bytes = Buffer.allocUnsafe(bodyLen + termLen);
    const pending = this.#pending;
    for (let k = 0; k < bodyLen; k++) bytes[k] = pending[k]!;
    if (terminator === 'crlf') { bytes[bodyLen] = CR; bytes[bodyLen + 1] = LF; }
    else if (terminator === 'lf') bytes[bodyLen] = LF;
    else if (terminator === 'cr') bytes[bodyLen] = CR;
    this.#pendingLen = 0;

    let nonText = 0;
    let ascii = true;
    let hasEsc = false;
    for (let k = 0; k < bodyLen; k++) {
      const c = bytes[k]!;
      if (c >= 0x20 && c < 0x7f) continue;
      if (c >= 0x80) { ascii = false; continue; }
      if (c === 0x1b) { hasEsc = true; continue; }
      if (c !== 0x09) nonText++;
    }
    let decoded: string;
    if (ascii) decoded = bytes.toString('latin1', 0, bodyLen);
    else {
      decoded = decoder.decode(bytes.subarray(0, bodyLen));
      // Bytes that are not valid UTF-8 decode to U+FFFD: at 115200 baud, text sent at another rate looks like this.
      for (let k = 0; k < decoded.length; k++) if (decoded.charCodeAt(k) === 0xfffd) nonText++;
    }
    const text = hasEsc ? stripAnsi(decoded) : decoded;
    const hostTime = this.#pendingStart;
    this.#lastStamp = hostTime;
    if (partial) this.counters.partial++;
    this.counters.lines++;
    // One literal, `ansi` assigned after: a conditional spread costs ~0.2 µs per line in V8.
    const line: Mutable<Line> = {
      port: this.#opts.port,
      seq: this.#seq++,
      hostTime,
      bytes,
      terminator,
      text,
      nonTextBytes: nonText,
      flags: { partial, truncated },
    };
    if (hasEsc) line.ansi = decoded;
    this.#opts.onLine(line);
  }
}
