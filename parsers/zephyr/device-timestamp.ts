import type { DeviceTime } from '../../daemon/core/parsed-record.ts';

/** The timestamp forms of reference/formats.md §1.2 (plus `custom` for a callback's own text). */
export type TimestampForm = 'default' | 'raw' | 'linux' | 'date' | 'iso' | 'custom';

export interface DeviceTimestamp {
  readonly form: TimestampForm;
  /** µs since boot; undefined for raw stamps without a known frequency and for custom ones. */
  readonly deviceTime?: DeviceTime;
  /** The raw tick/cycle count of a `raw` stamp. */
  readonly raw?: number;
}

const DIGIT0 = 48;

function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - DIGIT0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

// A `,000` µs field means a 1000 Hz log timestamp (formats.md §1.4): the value is only
// known to the millisecond, which the drift fit must know.
function msOrUs(us: string): number {
  return us === '000' ? 1000 : 1;
}

const LINUX = /^ *(\d+)\.(\d{6})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}),(\d{3})|[.,](\d{6})Z?)$/;

/**
 * Parses the inside of a Zephyr log timestamp (without brackets). Hand-written for the
 * default `HH:MM:SS.mmm,uuu` form (the hot path; hours may exceed 24 and have more than
 * two digits, §1.2), regexes for the rest. `cycleHz` converts raw stamps (`[00012345]`),
 * which count cycles or ticks at a frequency the line does not say (§1.4).
 */
export function parseDeviceTimestamp(ts: string, cycleHz?: number): DeviceTimestamp {
  const n = ts.length;
  // default: H+:MM:SS.mmm,uuu
  if (n >= 15 && ts.charCodeAt(n - 4) === 44 /* , */ && ts.charCodeAt(n - 8) === 46 /* . */
    && ts.charCodeAt(n - 11) === 58 && ts.charCodeAt(n - 14) === 58) {
    const h = digitsAt(ts, 0, n - 14);
    const m = digitsAt(ts, n - 13, n - 11);
    const s = digitsAt(ts, n - 10, n - 8);
    const ms = digitsAt(ts, n - 7, n - 4);
    const us = digitsAt(ts, n - 3, n);
    if (h >= 0 && m >= 0 && s >= 0 && ms >= 0 && us >= 0 && n - 14 >= 1) {
      return {
        form: 'default',
        deviceTime: {
          us: ((h * 60 + m) * 60 + s) * 1_000_000 + ms * 1000 + us,
          source: 'log',
          resolutionUs: msOrUs(ts.slice(n - 3)),
        },
      };
    }
  }
  if (n === 8 || n === 16) {
    const raw = digitsAt(ts, 0, n);
    if (raw >= 0) {
      if (cycleHz !== undefined && cycleHz > 0) {
        return {
          form: 'raw',
          raw,
          deviceTime: { us: Math.round((raw * 1e6) / cycleHz), source: 'cycles', resolutionUs: Math.max(1, 1e6 / cycleHz) },
        };
      }
      return { form: 'raw', raw };
    }
  }
  const first = ts.charCodeAt(0);
  if (first === 32 || (n >= 8 && ts.charCodeAt(n - 7) === 46)) {
    const m = LINUX.exec(ts);
    if (m) {
      return { form: 'linux', deviceTime: { us: Number(m[1]) * 1_000_000 + Number(m[2]), source: 'log', resolutionUs: 1 } };
    }
  }
  if (n >= 23 && ts.charCodeAt(4) === 45 /* - */) {
    const m = DATE.exec(ts);
    if (m) {
      // DATE and ISO8601 forms print uptime as an offset from 1970-01-01 (§1.2), so the
      // epoch value is the uptime.
      const base = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
      if (m[9] !== undefined) {
        return { form: 'iso', deviceTime: { us: base * 1000 + Number(m[9]), source: 'log', resolutionUs: msOrUs(m[9].slice(3)) } };
      }
      return {
        form: 'date',
        deviceTime: { us: base * 1000 + Number(m[7]) * 1000 + Number(m[8]), source: 'log', resolutionUs: msOrUs(m[8] ?? '') },
      };
    }
  }
  return { form: 'custom' };
}
