/**
 * Host time: microseconds since the Unix epoch, as an integer `number`.
 *
 * Every timestamp in uartscope comes from one {@link HostClock}: a monotonic clock
 * (`process.hrtime.bigint()`) anchored once to wall time, the way pino's `lib/time.js`
 * does it. A wall-clock step (NTP, a suspended laptop) therefore never reorders lines,
 * and the time base never resets while the daemon runs, not even across a port's
 * unplug and replug. µs since 1970 stays below 2^53 until the year 2255, so a plain
 * number is exact.
 */
export type HostTime = number;

export class HostClock {
  #anchorWallUs: number;
  readonly #anchorMonoNs: bigint;

  constructor(wallMs: number = Date.now(), monoNs: bigint = process.hrtime.bigint()) {
    this.#anchorWallUs = Math.round(wallMs * 1000);
    this.#anchorMonoNs = monoNs;
  }

  /** The anchor, so another thread of this process can build the same clock ({@link HostClock.fromAnchor}). */
  get anchor(): { readonly wallUs: number; readonly monoNs: bigint } {
    return { wallUs: this.#anchorWallUs, monoNs: this.#anchorMonoNs };
  }

  /** The clock with this anchor: `hrtime` is one clock for every thread of a process. */
  static fromAnchor(anchor: { readonly wallUs: number; readonly monoNs: bigint }): HostClock {
    const clock = new HostClock(0, anchor.monoNs);
    clock.#anchorWallUs = anchor.wallUs;
    return clock;
  }

  /** Now, in µs since the epoch, on the monotonic time line. */
  now(): HostTime {
    return this.#anchorWallUs + Number((process.hrtime.bigint() - this.#anchorMonoNs) / 1000n);
  }
}

/** The process-wide clock: one anchor for every port. */
export const hostClock = new HostClock();

// Every captured line is stamped: the `YYYY-MM-DDTHH:MM:SS.` part changes once a second, so
// it is built once per second instead of a Date and toISOString per line (the capture writer's
// hottest call under a 25,000 lines/s load).
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** The `YYYY-MM-DDTHH:MM:SS.` of {@link formatHostTime} for a whole second since the epoch. */
export function isoSecondPrefix(second: number): string {
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20); // ...ss.
  }
  return cachedPrefix;
}

/** ISO 8601, UTC, µs resolution: `2026-11-24T23:58:20.123456Z`. */
export function formatHostTime(t: HostTime): string {
  const second = Math.floor(t / 1_000_000);
  isoSecondPrefix(second);
  const frac = t - second * 1_000_000;
  return `${cachedPrefix}${frac < 100_000 ? String(frac).padStart(6, '0') : frac}Z`;
}

/** Parses the {@link formatHostTime} form (and any ISO string `Date` accepts) back to µs. */
export function parseHostTime(s: string): HostTime | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(s);
  if (!m) return undefined;
  const base = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(base)) return undefined;
  const frac = (m[2] ?? '').padEnd(6, '0');
  return base * 1000 + Number(frac);
}
