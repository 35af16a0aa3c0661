import { parse as parseYaml } from 'yaml';
import { decodeCaptureLine } from '../../daemon/capture/capture-codec.ts';
import type { CaptureFormat, CaptureLine } from './capture-line.ts';
import { ctimeUs, dateTimeUs, DayWrap, secondsUs, timeOfDayUs } from './capture-time.ts';

export type CaptureReader = (physicalLine: string) => CaptureLine | null;

function stripCr(s: string): string {
  // The device's `\r` stays in tio and conserver logs (`^M`, reference/peer-captures.md).
  return s.includes('\r') ? s.replace(/\r/g, '') : s;
}

/**
 * A reader for one capture file: physical line (without `\n`) → the device text and the
 * host time the tool wrote, or null for lines that carry nothing (comments, YAML
 * document markers). Stateful only where the format is: deltas add up, time-of-day stamps
 * wrap at midnight. Never throws.
 */
export function createCaptureReader(format: CaptureFormat): CaptureReader {
  const read = readerFor(format);
  return (physicalLine: string) => {
    try {
      return read(physicalLine);
    } catch {
      return { text: stripCr(String(physicalLine)) };
    }
  };
}

function readerFor(format: CaptureFormat): CaptureReader {
  switch (format) {
    case 'uartscope': return uartscopeReader();
    case 'tio': return tioReader();
    case 'grabserial': return grabserialReader();
    case 'minicom': return minicomReader();
    case 'conserver': return conserverReader();
    case 'lava': return lavaReader();
    case 'plain': return (l) => ({ text: stripCr(l) });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function uartscopeReader(): CaptureReader {
  return (l) => {
    const e = decodeCaptureLine(stripCr(l));
    if (e === null) return null;
    if (e.kind === 'marker') return { hostTime: e.hostTime, text: e.detail, marker: e.marker };
    const body = e.terminator === 'crlf' ? e.bytes.subarray(0, -2) : e.terminator === 'none' ? e.bytes : e.bytes.subarray(0, -1);
    return { hostTime: e.hostTime, text: stripCr(utf8.decode(body)), seq: e.seq, bytes: e.bytes };
  };
}

// tio 2.5/3.x: 24hour `[HH:MM:SS.mmm]` (time of day, or since start with 24hour-start),
// iso8601 `[YYYY-MM-DDTHH:MM:SS.mmm]`, the seed's `[YYYY-MM-DD HH:MM:SS.mmm]`, epoch
// `[1724419841.861]`, epoch-usec `[1748009585.087083]`. Exactly three (or six) fraction digits
// then `] `: a Zephyr stamp `[00:00:12.001,000]` has a comma and never matches.
export const TIO_PREFIX = /^\[(\d{2}:\d{2}:\d{2}\.\d{3}|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.\d{3}|\d{9,}\.\d{3}(?:\d{3})?)\] ?/;

function tioReader(): CaptureReader {
  const wrap = new DayWrap();
  return (l) => {
    const s = stripCr(l);
    const m = TIO_PREFIX.exec(s);
    if (!m) return { text: s };
    const stamp = m[1]!;
    const text = s.slice(m[0].length);
    if (stamp.charCodeAt(2) === 58 /* : */) {
      return { hostTime: wrap.next(timeOfDayUs(stamp)!), hostTimeRelative: true, text };
    }
    if (stamp.charCodeAt(4) === 45 /* - */) return { hostTime: dateTimeUs(stamp)!, text };
    return { hostTime: secondsUs(stamp), text };
  };
}

// grabserial 2.1/2.2: one to three numbers in brackets (systime and/or elapsed and/or delta),
// an optional `--label` before them, and the end-of-run summary line.
export const GRABSERIAL_PREFIX = /^(?:(\S+) )?\[((?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}\.\d{6}|\d+\.\d{6})((?: \d+\.\d{6}){0,2})\] ?/;
export const GRABSERIAL_SUMMARY = /^The inlinepat: ".*" was matched at (\d+\.\d+)$/;

function grabserialReader(): CaptureReader {
  const wrap = new DayWrap();
  return (l) => {
    const s = stripCr(l);
    const sum = GRABSERIAL_SUMMARY.exec(s);
    if (sum) return { hostTime: secondsUs(sum[1]!), hostTimeRelative: true, text: s, marker: 'inlinepat matched' };
    const m = GRABSERIAL_PREFIX.exec(s);
    if (!m) return { text: s };
    const first = m[2]!;
    const text = s.slice(m[0].length);
    const port = m[1] !== undefined ? { port: m[1] } : {};
    if (first.charCodeAt(4) === 45) return { hostTime: dateTimeUs(first)!, text, ...port };
    if (first.charCodeAt(2) === 58) return { hostTime: wrap.next(timeOfDayUs(first)!), hostTimeRelative: true, text, ...port };
    return { hostTime: secondsUs(first), hostTimeRelative: true, text, ...port };
  };
}

// minicom 2.8 `-C` capture: simple `[YYYY-MM-DD HH:MM:SS] `, extended with `.mmm`, delta
// `[0.300] ` (time since the previous line), and a bare per-second marker without `]`.
export const MINICOM_DATED = /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{3})?)\] ?/;
export const MINICOM_DELTA = /^\[(\d+\.\d{3})\] ?/;
export const MINICOM_MARKER = /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})$/;

function minicomReader(): CaptureReader {
  let elapsed = 0;
  return (l) => {
    const s = stripCr(l);
    let m = MINICOM_MARKER.exec(s);
    if (m) return { hostTime: dateTimeUs(m[1]!)!, text: '', marker: 'timestamp' };
    if ((m = MINICOM_DATED.exec(s))) return { hostTime: dateTimeUs(m[1]!)!, text: s.slice(m[0].length) };
    if ((m = MINICOM_DELTA.exec(s))) {
      elapsed += secondsUs(m[1]!);
      return { hostTime: elapsed, hostTimeRelative: true, text: s.slice(m[0].length) };
    }
    return { text: s };
  };
}

// conserver 8.2: `[Tue Nov 24 23:02:13 2026]` glued to the text, and status lines
// `[-- Console up -- Tue Nov 24 23:02:10 2026]`.
export const CONSERVER_STAMP = /^\[([A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?: [A-Z]{1,5})? \d{4})\]/;
export const CONSERVER_STATUS = /^\[-- (.+?) -- ([A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?: [A-Z]{1,5})? \d{4})\]$/;

function conserverReader(): CaptureReader {
  return (l) => {
    const s = stripCr(l);
    let m = CONSERVER_STATUS.exec(s);
    if (m) {
      const t = ctimeUs(m[2]!);
      return { ...(t !== undefined ? { hostTime: t } : {}), text: '', marker: m[1]! };
    }
    if ((m = CONSERVER_STAMP.exec(s))) {
      const t = ctimeUs(m[1]!);
      return { ...(t !== undefined ? { hostTime: t } : {}), text: s.slice(m[0].length) };
    }
    return { text: s };
  };
}

// LAVA: `{"dt": "<UTC isoformat>", "lvl": "target", "msg": "…"}` per line, in a YAML list
// (`- {dt: …, lvl: …, msg: …}`) or as bare JSON lines. `target` (and `feedback`, whose `ns`
// names the connection) is device output; the other levels are LAVA's own lines.
function lavaReader(): CaptureReader {
  return (l) => {
    const s = stripCr(l).trim();
    if (s.length === 0 || s === '---' || s === '...') return null;
    let body = s.startsWith('- ') ? s.slice(2) : s;
    if (!body.startsWith('{')) return { text: s };
    let obj: unknown;
    try {
      obj = body.startsWith('{"') ? JSON.parse(body) : parseYaml(body);
    } catch {
      try {
        obj = parseYaml(body);
      } catch {
        return { text: s };
      }
    }
    if (obj === null || typeof obj !== 'object') return { text: s };
    const rec = obj as Record<string, unknown>;
    const dt = rec['dt'];
    const lvl = typeof rec['lvl'] === 'string' ? rec['lvl'] : 'target';
    const rawMsg = rec['msg'];
    const msg = typeof rawMsg === 'string' ? rawMsg : JSON.stringify(rawMsg ?? '');
    const t = typeof dt === 'string' ? dateTimeUs(dt) : dt instanceof Date ? dt.getTime() * 1000 : undefined;
    const time = t !== undefined ? { hostTime: t } : {};
    const ns = typeof rec['ns'] === 'string' ? { port: rec['ns'] } : {};
    body = stripCr(msg);
    if (lvl === 'target' || lvl === 'feedback') return { ...time, text: body, ...ns };
    return { ...time, text: body, marker: lvl, ...ns };
  };
}
