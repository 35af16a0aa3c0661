import type { WireLine } from './protocol.ts';

/**
 * The recent lines of one port, oldest overwritten first. Lines arrive in seq order (the
 * framer numbers them), so a lookup by seq is a binary search; seq is gapless in the normal
 * case, but a stage that dropped lines leaves holes, so no arithmetic on indexes is assumed.
 */
export class LineRing {
  readonly #buf: (WireLine | undefined)[];
  #start = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`"capacity" must be a positive integer, got ${capacity}`);
    this.#buf = new Array<WireLine | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  #at(i: number): WireLine {
    return this.#buf[(this.#start + i) % this.capacity] as WireLine;
  }

  /** Appends; a line whose seq is not above the newest (a replay after restart) is ignored. Returns whether it was kept. */
  push(line: WireLine): boolean {
    const newest = this.newestSeq();
    if (newest !== undefined && line.seq <= newest) return false;
    if (this.#size < this.capacity) {
      this.#buf[(this.#start + this.#size) % this.capacity] = line;
      this.#size++;
    } else {
      this.#buf[this.#start] = line;
      this.#start = (this.#start + 1) % this.capacity;
    }
    return true;
  }

  oldestSeq(): number | undefined {
    return this.#size === 0 ? undefined : this.#at(0).seq;
  }

  newestSeq(): number | undefined {
    return this.#size === 0 ? undefined : this.#at(this.#size - 1).seq;
  }

  /** The line with this seq, if the ring still holds it. */
  get(seq: number): WireLine | undefined {
    const i = this.#indexAfter(seq - 1);
    if (i >= this.#size) return undefined;
    const line = this.#at(i);
    return line.seq === seq ? line : undefined;
  }

  /** Lines with seq > `seq`, oldest first. */
  after(seq: number): WireLine[] {
    const out: WireLine[] = [];
    for (let i = this.#indexAfter(seq); i < this.#size; i++) out.push(this.#at(i));
    return out;
  }

  /** The newest `n` lines, oldest first. */
  last(n: number): WireLine[] {
    const out: WireLine[] = [];
    for (let i = Math.max(0, this.#size - n); i < this.#size; i++) out.push(this.#at(i));
    return out;
  }

  /** Index of the first line with seq > `seq`. */
  #indexAfter(seq: number): number {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#at(mid).seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
