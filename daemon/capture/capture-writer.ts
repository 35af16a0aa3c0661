import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatHostTime, type HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import { captureLineMaxBytes, decodeCaptureLine, encodeCaptureLineInto, encodeMarker, CAPTURE_HEADER_PREFIX } from './capture-codec.ts';

export interface CaptureWriterOptions {
  readonly dataDir: string;
  /** Rotate when a file reaches this many bytes. */
  readonly maxFileBytes: number;
  /** Buffered text is written at least this often (ms): the most a crash can lose. */
  readonly flushIntervalMs: number;
}

interface PortFile {
  fd: number;
  path: string;
  size: number;
  /** Host time (µs) of the UTC midnight that ends the file's day: files rotate at midnight too. */
  dayEnds: HostTime;
  /** Encoded, not yet written: off the JS heap, so a line held here costs the collector nothing. */
  pending: Buffer;
  pendingBytes: number;
  source: string;
}

/** Start size of a port's pending buffer: 200 ms at 921,600 baud is ~18 KB of line bytes. */
const PENDING_START_BYTES = 64 * 1024;

const DAY_US = 86_400_000_000;
/** The UTC midnight after `t` (host time is µs since the Unix epoch, which has no leap seconds). */
const nextUtcMidnight = (t: HostTime): HostTime => (Math.floor(t / DAY_US) + 1) * DAY_US;

/**
 * Append-only capture files, per port under `DATA/captures/PORT/`, rotated by size and by
 * UTC day. The daemon hands every line here BEFORE anything else sees it; the text is kept
 * in memory and written with one `write(2)` per port at least every `flushIntervalMs`, so
 * a SIGKILL loses at most that interval (test/integration/capture-sigkill.test.ts) while a
 * 25,000 lines/s load costs a few system calls per second. Files are mode 0600: they hold
 * the exact bytes received, Wi-Fi passwords in `AT+CWJAP` included.
 */
export class CaptureWriter {
  readonly #opts: CaptureWriterOptions;
  readonly #ports = new Map<string, PortFile>();
  #timer: NodeJS.Timeout | undefined;
  #timerPorts = 0;
  #nextToFlush = 0;
  #closed = false;
  errors = 0;
  lastError: string | undefined;

  constructor(options: CaptureWriterOptions) {
    this.#opts = options;
    this.#schedule();
  }

  /**
   * One port's file is written per tick, round robin, every port once per `flushIntervalMs`:
   * writing all of them in one go (16 `write(2)`s of ~10 KB at 16 × 921,600 baud) held the
   * reading thread for ~0.5 ms every interval, and lines arriving meanwhile were stamped late.
   */
  #schedule(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timerPorts = Math.max(1, this.#ports.size);
    this.#timer = setInterval(() => this.#flushNext(), Math.max(1, Math.floor(this.#opts.flushIntervalMs / this.#timerPorts)));
    this.#timer.unref();
  }

  #flushNext(): void {
    if (this.#ports.size === 0) return;
    const files = [...this.#ports];
    const [port, f] = files[this.#nextToFlush++ % files.length]!;
    this.#write(port, f);
  }

  portDir(port: string): string {
    return join(this.#opts.dataDir, 'captures', port);
  }

  /** The seq the port's next line should get, continuing the newest capture file (0 when none). */
  nextSeq(port: string): number {
    const dir = this.portDir(port);
    if (!existsSync(dir)) return 0;
    const files = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    for (let k = files.length - 1; k >= 0; k--) {
      const seq = lastSeqIn(join(dir, files[k]!));
      if (seq !== undefined) return seq + 1;
    }
    return 0;
  }

  open(port: string, source: string, at: HostTime): void {
    if (!this.#ports.has(port)) this.#openFile(port, source, at);
  }

  writeLine(line: Line): void {
    const f = this.#fileFor(line.port, line.hostTime);
    if (!f) return;
    reserve(f, captureLineMaxBytes(line));
    f.pendingBytes = encodeCaptureLineInto(line, f.pending, f.pendingBytes);
  }

  writeMarker(port: string, at: HostTime, marker: string, detail = ''): void {
    const f = this.#fileFor(port, at);
    if (f) appendText(f, encodeMarker(at, marker, detail));
  }

  /** Writes everything buffered. Called by the timer and on close. */
  flush(): void {
    for (const [port, f] of this.#ports) this.#write(port, f);
  }

  #write(port: string, f: PortFile): void {
    const length = f.pendingBytes;
    if (length === 0) return;
    f.pendingBytes = 0;
    try {
      let off = 0;
      while (off < length) off += writeSync(f.fd, f.pending, off, length - off);
      f.size += length;
    } catch (err) {
      this.errors++;
      this.lastError = `capture of port ${port} (${f.path}): ${(err as Error).message}`;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.flush();
    for (const f of this.#ports.values()) {
      try { closeSync(f.fd); } catch { /* already closed */ }
    }
    this.#ports.clear();
  }

  /** Current file of each port (for the terminal's "captures are in …" and the dashboard's download). */
  files(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [port, f] of this.#ports) out[port] = f.path;
    return out;
  }

  /** The port's file for something at `at`: opened or rotated first when needed; none once closed. */
  #fileFor(port: string, at: HostTime): PortFile | undefined {
    if (this.#closed) return undefined;
    const f = this.#ports.get(port);
    if (!f) return this.#openFile(port, '', at);
    if (f.size + f.pendingBytes >= this.#opts.maxFileBytes || at >= f.dayEnds) return this.#rotate(port, f, at);
    return f;
  }

  #rotate(port: string, f: PortFile, at: HostTime): PortFile {
    appendText(f, encodeMarker(at, 'rotated', 'continued in the next file'));
    this.flush();
    try { closeSync(f.fd); } catch { /* ignore */ }
    this.#ports.delete(port);
    return this.#openFile(port, f.source, at);
  }

  #openFile(port: string, source: string, at: HostTime): PortFile {
    const dir = this.portDir(port);
    mkdirSync(dir, { recursive: true });
    // Names sort in time order: UTC start to the ms, then a counter for files begun in the same ms.
    const stamp = formatHostTime(at).replace(/[-:]/g, '').replace(/(\.\d{3})\d*Z$/, '$1Z');
    let path = '';
    for (let k = 0; k === 0 || existsSync(path); k++) path = join(dir, `${port}-${stamp}-${String(k).padStart(2, '0')}.log`);
    const fd = openSync(path, 'a', 0o600);
    const header = `${CAPTURE_HEADER_PREFIX} port=${port}${source ? ` source=${source}` : ''} started=${formatHostTime(at)}\n`;
    const f: PortFile = { fd, path, size: fstatSync(fd).size, dayEnds: nextUtcMidnight(at), pending: Buffer.allocUnsafe(PENDING_START_BYTES), pendingBytes: 0, source };
    appendText(f, header);
    this.#ports.set(port, f);
    if (this.#ports.size !== this.#timerPorts && !this.#closed) this.#schedule();
    return f;
  }
}

/** Makes room for `bytes` more in the port's pending buffer (it grows; a burst can outrun a flush interval). */
function reserve(f: PortFile, bytes: number): void {
  const need = f.pendingBytes + bytes;
  if (need <= f.pending.length) return;
  const grown = Buffer.allocUnsafe(Math.max(need, f.pending.length * 2));
  f.pending.copy(grown, 0, 0, f.pendingBytes);
  f.pending = grown;
}

function appendText(f: PortFile, text: string): void {
  reserve(f, Buffer.byteLength(text, 'utf8'));
  f.pendingBytes += f.pending.write(text, f.pendingBytes, 'utf8');
}

/** The highest seq in a capture file, reading only its tail. */
function lastSeqIn(path: string): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n');
    for (let k = lines.length - 1; k >= 0; k--) {
      const e = decodeCaptureLine(lines[k]!);
      if (e?.kind === 'line') return e.seq;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
