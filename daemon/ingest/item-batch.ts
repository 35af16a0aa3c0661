import type { Line, Terminator } from '../core/line.ts';
import type { PortStatus } from '../core/port-status.ts';
import { isLine, type IngestItem } from './ingest-item.ts';
import type { Mutable } from '../core/mutable.ts';

/**
 * Lines and status changes on their way from the ingest thread to the analysis thread, in the
 * order they happened. Columnar, so one `postMessage` moves hundreds of lines as a few typed
 * arrays (transferred, not copied) and one string array, instead of structured-cloning an
 * object, a `flags` object and a `Uint8Array` per line. (A line's `bytes` is often a view into
 * a larger buffer; cloning a view copies its whole `ArrayBuffer`.)
 */
export interface ItemBatch {
  /** Port names; `port` holds indexes into it. */
  readonly ports: readonly string[];
  readonly port: Uint16Array;
  readonly seq: Float64Array;
  readonly hostTime: Float64Array;
  /** End offset of each line's bytes in `bytes` (the start is the previous line's end). */
  readonly end: Uint32Array;
  readonly bytes: Uint8Array;
  /** terminator (2 bits) | partial << 2 | truncated << 3 | nonTextBytes << 4. */
  readonly info: Float64Array;
  readonly text: readonly string[];
  /** The ANSI-coloured text of the lines that had escape sequences, by line index. */
  readonly ansi: Readonly<Record<number, string>>;
  /** Status changes, each placed before the line with index `before` (= line count: after the last). */
  readonly statuses: ReadonlyArray<{ readonly before: number; readonly status: PortStatus }>;
}

const TERMINATORS: readonly Terminator[] = ['lf', 'crlf', 'cr', 'none'];

/** Collects items and hands them out as one {@link ItemBatch} with the buffers to transfer. */
export class ItemBatchWriter {
  readonly #portIndex = new Map<string, number>();
  readonly #ports: string[] = [];
  // Columns reused from batch to batch (take() copies the used part out): growing JS arrays a
  // push at a time and converting them per batch was an eighth of the ingest thread's garbage.
  #port = new Uint16Array(1024);
  #seq = new Float64Array(1024);
  #hostTime = new Float64Array(1024);
  #end = new Uint32Array(1024);
  #info = new Float64Array(1024);
  #text: string[] = [];
  #ansi: Record<number, string> = {};
  #statuses: Array<{ before: number; status: PortStatus }> = [];
  #bytes = Buffer.allocUnsafe(64 * 1024);
  #bytesLen = 0;

  constructor(ports: readonly string[]) {
    for (const p of ports) {
      this.#portIndex.set(p, this.#ports.length);
      this.#ports.push(p);
    }
  }

  /** Lines waiting (statuses are not counted: they are few and never dropped). */
  get lines(): number {
    return this.#text.length;
  }

  get empty(): boolean {
    return this.#text.length === 0 && this.#statuses.length === 0;
  }

  push(item: IngestItem): void {
    if (!isLine(item)) {
      this.#statuses.push({ before: this.#text.length, status: item });
      return;
    }
    const index = this.#portIndex.get(item.port);
    if (index === undefined) throw new Error(`line of unknown port "${item.port}"`);
    const n = item.bytes.length;
    if (this.#bytesLen + n > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#bytesLen + n));
      this.#bytes.copy(grown, 0, 0, this.#bytesLen);
      this.#bytes = grown;
    }
    this.#bytes.set(item.bytes, this.#bytesLen);
    this.#bytesLen += n;
    const i = this.#text.length;
    if (i === this.#seq.length) this.#grow();
    this.#port[i] = index;
    this.#seq[i] = item.seq;
    this.#hostTime[i] = item.hostTime;
    this.#end[i] = this.#bytesLen;
    this.#info[i] = (TERMINATORS.indexOf(item.terminator) | (item.flags.partial ? 4 : 0) | (item.flags.truncated ? 8 : 0)) + item.nonTextBytes * 16;
    this.#text.push(item.text);
    if (item.ansi !== undefined) this.#ansi[i] = item.ansi;
  }

  #grow(): void {
    const size = this.#seq.length * 2;
    const grown = <T extends Uint16Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.#port = grown(this.#port, (k) => new Uint16Array(k));
    this.#seq = grown(this.#seq, (k) => new Float64Array(k));
    this.#hostTime = grown(this.#hostTime, (k) => new Float64Array(k));
    this.#end = grown(this.#end, (k) => new Uint32Array(k));
    this.#info = grown(this.#info, (k) => new Float64Array(k));
  }

  /** The batch so far, and the buffers `postMessage` may transfer; the writer starts over empty. */
  take(): { batch: ItemBatch; transfer: ArrayBuffer[] } {
    const n = this.#text.length;
    const bytes = new Uint8Array(this.#bytesLen);
    bytes.set(this.#bytes.subarray(0, this.#bytesLen));
    const batch: ItemBatch = {
      ports: this.#ports,
      port: this.#port.slice(0, n),
      seq: this.#seq.slice(0, n),
      hostTime: this.#hostTime.slice(0, n),
      end: this.#end.slice(0, n),
      bytes,
      info: this.#info.slice(0, n),
      text: this.#text,
      ansi: this.#ansi,
      statuses: this.#statuses,
    };
    this.#text = [];
    this.#ansi = {};
    this.#statuses = [];
    this.#bytesLen = 0;
    return { batch, transfer: [batch.port.buffer, batch.seq.buffer, batch.hostTime.buffer, batch.end.buffer, bytes.buffer, batch.info.buffer] as ArrayBuffer[] };
  }
}

/** Hands every item of a batch to `onItem`, in order. Lines' `bytes` are views into the batch's buffer. */
export function forEachItem(batch: ItemBatch, onItem: (item: IngestItem) => void): void {
  let s = 0;
  const n = batch.text.length;
  for (let i = 0; i < n; i++) {
    while (s < batch.statuses.length && batch.statuses[s]!.before === i) onItem(batch.statuses[s++]!.status);
    const info = batch.info[i]!;
    const ansi = batch.ansi[i];
    // One literal, `ansi` assigned after: a conditional spread costs ~0.2 µs per line in V8.
    const line: Mutable<Line> = {
      port: batch.ports[batch.port[i]!]!,
      seq: batch.seq[i]!,
      hostTime: batch.hostTime[i]!,
      bytes: batch.bytes.subarray(i === 0 ? 0 : batch.end[i - 1]!, batch.end[i]!),
      terminator: TERMINATORS[info & 3]!,
      text: batch.text[i]!,
      nonTextBytes: Math.floor(info / 16),
      flags: { partial: (info & 4) !== 0, truncated: (info & 8) !== 0 },
    };
    if (ansi !== undefined) line.ansi = ansi;
    onItem(line);
  }
  while (s < batch.statuses.length) onItem(batch.statuses[s++]!.status);
}
