/**
 * Time fields of capture prefixes → µs. Files say no time zone in most tools' forms; they
 * are read as UTC (the lead's rule: "UTC unless the file says otherwise").
 */
const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
// Abbreviations conserver's ctime-like stamps may carry (its man page shows `PST`).
const ZONE_OFFSET_H: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, Z: 0, PST: -8, PDT: -7, MST: -7, MDT: -6, CST: -6, CDT: -5, EST: -5, EDT: -4,
  CET: 1, CEST: 2, EET: 2, EEST: 3, BST: 1, IST: 5.5, JST: 9,
};

function fractionUs(frac: string | undefined): number {
  if (frac === undefined || frac.length === 0) return 0;
  return Number(frac.slice(0, 6).padEnd(6, '0'));
}

/** `YYYY-MM-DD[ T]HH:MM:SS[.frac]` → µs since the epoch (UTC), or undefined. */
export function dateTimeUs(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return undefined;
  let ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (Number.isNaN(ms)) return undefined;
  const tz = m[8];
  if (tz !== undefined && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms * 1000 + fractionUs(m[7]);
}

/** `HH:MM:SS[.frac]` → µs since midnight (hours may exceed 24), or undefined. */
export function timeOfDayUs(s: string): number | undefined {
  const m = /^(\d{2,}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) return undefined;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + fractionUs(m[4]);
}

/** `123.456789` seconds → µs. */
export function secondsUs(s: string): number {
  const dot = s.indexOf('.');
  if (dot < 0) return Number(s) * 1_000_000;
  return Number(s.slice(0, dot)) * 1_000_000 + fractionUs(s.slice(dot + 1));
}

/** ctime-like `Tue Nov 24 23:02:13 2026` or `Mon Jan 25 14:46:56 PST 1999` → µs since the epoch. */
export function ctimeUs(s: string): number | undefined {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?: ([A-Z]{1,5}))? (\d{4})$/.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  const offsetH = m[6] !== undefined ? (ZONE_OFFSET_H[m[6]] ?? 0) : 0;
  const ms = Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) - offsetH * 3_600_000;
  return ms * 1000;
}

/**
 * Time-of-day stamps (no date) only ever grow in a capture; a step back means midnight
 * passed, so a day is added to keep the host time line monotonic.
 */
export class DayWrap {
  #days = 0;
  #last = -1;

  next(us: number): number {
    if (this.#last >= 0 && us + 3_600_000_000 < this.#last) this.#days++;
    this.#last = us;
    return us + this.#days * 86_400_000_000;
  }
}
