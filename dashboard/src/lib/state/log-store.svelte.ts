import type { Level } from '../../../../daemon/core/parsed-record.ts';
import type { WireLine, WireNote } from '../../../../daemon/server/protocol.ts';

/** One row of the log: a line, or a run of identical consecutive lines folded into one. */
export interface LogRow {
  /** Insertion order; stable across folds, the `{#each}` key. */
  readonly key: number;
  readonly port: string;
  readonly seq: number;
  /** seq of the last line folded into this row (== seq when count is 1). */
  readonly lastSeq: number;
  readonly t: number;
  readonly text: string;
  readonly ansi?: string;
  readonly level?: Level;
  readonly module?: string;
  readonly dt?: number;
  readonly count: number;
}

export interface LogFilter {
  /** '' = all ports. */
  readonly port: string;
  /** Levels shown; lines without a level are shown when `none` is included. */
  readonly levels: readonly (Level | 'none')[];
  readonly module: string;
  readonly text: string;
  readonly regex: boolean;
}

export const ALL_LEVELS: readonly (Level | 'none')[] = ['err', 'wrn', 'inf', 'dbg', 'none'];

export const NO_FILTER: LogFilter = { port: '', levels: ALL_LEVELS, module: '', text: '', regex: false };

/**
 * The log buffer: at most `capacity` rows, oldest dropped first, and the filtered view kept
 * up to date incrementally (only new rows are tested), so 100,000 rows cost one pass when the
 * filter changes and nothing per frame. Rows are immutable plain objects; `version` is the one
 * reactive signal, bumped once per animation frame by `commit()` (svelte.dev best practices:
 * `$state.raw` for large data replaced rather than mutated).
 */
export class LogStore {
  version = $state(0);
  filter = $state.raw<LogFilter>(NO_FILTER);
  filterError = $state<string | null>(null);

  #rows: LogRow[] = [];
  #head = 0;
  #view: LogRow[] = [];
  #viewHead = 0;
  #nextKey = 0;
  #match: (r: LogRow) => boolean = () => true;
  #dirty = false;
  /** Newest seq seen per port: the resume point after a reconnect. */
  readonly lastSeq = new Map<string, number>();
  /** Lines received (folded ones included) and rows evicted, for the header. */
  received = 0;
  evicted = 0;

  constructor(readonly capacity = 100_000) {}

  get size(): number {
    return this.#rows.length - this.#head;
  }

  /** The filtered rows: `rows[start … rows.length)`. Read it after reading `version`. */
  view(): { readonly rows: readonly LogRow[]; readonly start: number } {
    return { rows: this.#view, start: this.#viewHead };
  }

  get viewLength(): number {
    return this.#view.length - this.#viewHead;
  }

  clear(): void {
    this.#rows = [];
    this.#head = 0;
    this.#view = [];
    this.#viewHead = 0;
    this.lastSeq.clear();
    this.#dirty = true;
  }

  add(lines: readonly WireLine[]): void {
    for (const l of lines) this.#add(l);
  }

  #add(l: WireLine): void {
    this.received++;
    const prev = this.lastSeq.get(l.port);
    if (prev !== undefined && l.seq <= prev) return; // already have it (resume overlap)
    this.lastSeq.set(l.port, l.seq);
    this.#dirty = true;
    const lastIdx = this.#rows.length - 1;
    const last = lastIdx >= this.#head ? this.#rows[lastIdx] : undefined;
    // Fold a line identical to the one before it (reconnect spam, `ready` loops), as the
    // svelte.dev REPL console does with increment_duplicate_log.
    if (last && last.port === l.port && last.text === l.text && last.level === l.level && last.lastSeq + 1 === l.seq) {
      const folded: LogRow = { ...last, lastSeq: l.seq, t: l.t, count: last.count + 1, ...(l.dt !== undefined ? { dt: l.dt } : {}) };
      this.#rows[lastIdx] = folded;
      const vIdx = this.#view.length - 1;
      if (vIdx >= this.#viewHead && this.#view[vIdx]?.key === folded.key) this.#view[vIdx] = folded;
      return;
    }
    const row: LogRow = {
      key: this.#nextKey++, port: l.port, seq: l.seq, lastSeq: l.seq, t: l.t, text: l.text, count: 1,
      ...(l.ansi !== undefined ? { ansi: l.ansi } : {}),
      ...(l.level !== undefined ? { level: l.level } : {}),
      ...(l.module !== undefined ? { module: l.module } : {}),
      ...(l.dt !== undefined ? { dt: l.dt } : {}),
    };
    this.#rows.push(row);
    if (this.#match(row)) this.#view.push(row);
    if (this.size > this.capacity) this.#evict();
  }

  #evict(): void {
    const drop = this.size - this.capacity;
    this.#head += drop;
    this.evicted += drop;
    const oldestKey = this.#rows[this.#head]?.key ?? Infinity;
    while (this.#viewHead < this.#view.length && (this.#view[this.#viewHead]?.key ?? Infinity) < oldestKey) this.#viewHead++;
    // Compact now and then, not per row: amortised O(1).
    if (this.#head > this.capacity / 2) {
      this.#rows = this.#rows.slice(this.#head);
      this.#head = 0;
    }
    if (this.#viewHead > this.capacity / 2) {
      this.#view = this.#view.slice(this.#viewHead);
      this.#viewHead = 0;
    }
  }

  /** A record parsed after its line was sent: fill in the columns of that row. */
  note(n: WireNote): void {
    for (let i = this.#rows.length - 1; i >= this.#head && i >= this.#rows.length - 5000; i--) {
      const r = this.#rows[i];
      if (!r || r.port !== n.port || r.seq !== n.seq) continue;
      const updated: LogRow = {
        ...r, ...(n.level !== undefined ? { level: n.level } : {}), ...(n.module !== undefined ? { module: n.module } : {}),
        ...(n.dt !== undefined ? { dt: n.dt } : {}),
      };
      this.#rows[i] = updated;
      const vi = this.#view.lastIndexOf(r);
      if (vi >= 0) this.#view[vi] = updated;
      this.#dirty = true;
      return;
    }
  }

  setFilter(f: LogFilter): void {
    this.filter = f;
    let text: ((s: string) => boolean) | undefined;
    this.filterError = null;
    if (f.text) {
      if (f.regex) {
        try {
          const re = new RegExp(f.text, 'i');
          text = (s) => re.test(s);
        } catch (err) {
          this.filterError = (err as Error).message;
        }
      } else {
        const needle = f.text.toLowerCase();
        text = (s) => s.toLowerCase().includes(needle);
      }
    }
    const levels = new Set(f.levels);
    const allLevels = levels.size === ALL_LEVELS.length;
    const mod = f.module.toLowerCase();
    this.#match = (r) =>
      (f.port === '' || r.port === f.port) &&
      (allLevels || levels.has(r.level ?? 'none')) &&
      (mod === '' || (r.module ?? '').toLowerCase().includes(mod)) &&
      (text === undefined || text(r.text));
    this.#view = [];
    this.#viewHead = 0;
    for (let i = this.#head; i < this.#rows.length; i++) {
      const r = this.#rows[i];
      if (r && this.#match(r)) this.#view.push(r);
    }
    this.#dirty = true;
    this.commit();
  }

  /** Index (absolute, in `view().rows`) of the row holding `port:seq`, or of the first after it. */
  indexOf(port: string, seq: number): number {
    for (let i = this.#viewHead; i < this.#view.length; i++) {
      const r = this.#view[i];
      if (r && r.port === port && r.lastSeq >= seq) return i;
    }
    return -1;
  }

  /** Publishes the changes of this frame to the components: one reactive update, however many lines. */
  commit(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    this.version++;
  }
}
