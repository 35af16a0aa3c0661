import type { Level } from '../../daemon/core/parsed-record.ts';
import { parseDeviceTimestamp, type DeviceTimestamp } from './device-timestamp.ts';
import type { Mutable } from '../../daemon/core/mutable.ts';

/** `tsForm` values of parsers/record-kinds.md (`custom`, `legacy` added there). */
export type TsForm = 'default' | 'raw' | 'linux' | 'date' | 'iso' | 'none' | 'minimal' | 'custom' | 'legacy';

/** The parts of one Zephyr log_output line (reference/formats.md §1.1). */
export interface ZephyrLogLine {
  readonly tsForm: TsForm;
  readonly timestamp?: DeviceTimestamp;
  readonly level: Level;
  readonly tag?: string;
  readonly thread?: string;
  readonly domain?: string;
  readonly module?: string;
  readonly func?: string;
  /** The line lost its first characters (the timestamp's `[`). */
  readonly torn?: boolean;
  /** Everything after `source: `, as printed (leading spaces kept: fault details and DHCP lines indent). */
  readonly message: string;
}

const LEVEL_BY_CODE: Record<string, Level> = { err: 'err', wrn: 'wrn', inf: 'inf', dbg: 'dbg' };
const MINIMAL_LEVEL: Record<string, Level> = { E: 'err', W: 'wrn', I: 'inf', D: 'dbg', '?': 'inf' };
const LEGACY_LEVEL: Record<string, Level> = { ERR: 'err', WRN: 'wrn', INF: 'inf', DBG: 'dbg' };
// The old SYS_LOG macros (Zephyr ≤ 1.13) printed `[domain] [ERR] func: message`.
const LEGACY = /^\[([^\]\s]+)\] \[(ERR|WRN|INF|DBG)\] (?:([A-Za-z0-9_]+): )?(.*)$/;
const ISO_BARE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[.,]\d{6}Z$/;

/** How far into a line the `<lvl> ` tag may start: a tag, a timestamp and their spaces. */
const MAX_PREFIX = 64;

/**
 * Splits a Zephyr log line into its fields, or returns null when the text is not one.
 * The level tag is found first (cheap `indexOf`); whatever stands before it must be a
 * tag and/or a timestamp (§1.1 order: `[TAG ][TIMESTAMP ]<lvl> [THREAD ][DOMAIN/]SOURCE: MSG`).
 */
export function parseZephyrLogLine(text: string, cycleHz?: number): ZephyrLogLine | null {
  const lt = text.indexOf('<');
  if (lt < 0 || lt > MAX_PREFIX) return parseOtherForms(text);
  if (text.charCodeAt(lt + 4) !== 62 /* > */) return parseOtherForms(text);
  const level = LEVEL_BY_CODE[text.slice(lt + 1, lt + 4)];
  if (level === undefined) return parseOtherForms(text);
  const afterLevel = lt + 5;
  if (afterLevel < text.length && text.charCodeAt(afterLevel) !== 32) return parseOtherForms(text);

  let tsForm: TsForm = 'none';
  let timestamp: DeviceTimestamp | undefined;
  let tag: string | undefined;
  if (lt > 0) {
    if (text.charCodeAt(lt - 1) !== 32) return parseOtherForms(text);
    let prefix = text.slice(0, lt - 1);
    if (prefix.charCodeAt(0) !== 91 /* [ */ && !ISO_BARE.test(prefix)) {
      const sp = prefix.indexOf(' ');
      tag = sp < 0 ? prefix : prefix.slice(0, sp);
      if (tag.length === 0) return parseOtherForms(text);
      prefix = sp < 0 ? '' : prefix.slice(sp + 1);
      if (prefix.length === 0 && tag.endsWith(']')) {
        // A line torn at its start (`00:00:00.456,542] <inf> …`: the `[` was lost) still
        // carries its device time.
        const torn = parseDeviceTimestamp(tag.slice(0, -1), cycleHz);
        if (torn.form !== 'custom') {
          return finish(text, afterLevel, level, torn.form, torn, undefined, true);
        }
      }
    }
    if (prefix.length > 0) {
      let inner: string;
      if (prefix.charCodeAt(0) === 91) {
        if (prefix.charCodeAt(prefix.length - 1) !== 93 /* ] */) return parseOtherForms(text);
        inner = prefix.slice(1, -1);
      } else if (ISO_BARE.test(prefix)) {
        // Newer log_output.c prints the ISO form without brackets (reference/peer-captures.md).
        inner = prefix;
      } else {
        return parseOtherForms(text);
      }
      timestamp = parseDeviceTimestamp(inner, cycleHz);
      tsForm = timestamp.form;
    }
  }

  return finish(text, afterLevel, level, tsForm, timestamp, tag, false);
}

function finish(
  text: string, afterLevel: number, level: Level, tsForm: TsForm, timestamp: DeviceTimestamp | undefined,
  tag: string | undefined, torn: boolean,
): ZephyrLogLine {
  let rest = afterLevel + 1 <= text.length ? text.slice(afterLevel + 1) : '';
  let thread: string | undefined;
  if (rest.charCodeAt(0) === 91 /* [ */) {
    const close = rest.indexOf('] ');
    if (close > 0) {
      thread = rest.slice(1, close).trim();
      rest = rest.slice(close + 2);
    }
  }
  let domain: string | undefined;
  let module: string | undefined;
  let func: string | undefined;
  let message = rest;
  const colon = rest.indexOf(': ');
  const colonEnd = colon < 0 && rest.endsWith(':') ? rest.length - 1 : colon;
  if (colonEnd > 0) {
    // `[domain/]module[.func]`, scanned by hand: this runs for every log line.
    let slash = -1;
    let dot = -1;
    let ok = true;
    for (let i = 0; i < colonEnd; i++) {
      const c = rest.charCodeAt(i);
      if (c === 47 /* / */) {
        if (slash >= 0 || dot >= 0) { ok = false; break; }
        slash = i;
      } else if (c === 46 /* . */) {
        if (dot >= 0) { ok = false; break; }
        dot = i;
      } else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45)) {
        ok = false;
        break;
      }
    }
    const modStart = slash + 1;
    const modEnd = dot >= 0 ? dot : colonEnd;
    if (ok && modEnd > modStart && slash !== 0 && (dot < 0 || dot < colonEnd - 1)) {
      if (slash > 0) domain = rest.slice(0, slash);
      module = rest.slice(modStart, modEnd);
      if (dot >= 0) func = rest.slice(dot + 1, colonEnd);
      message = rest.slice(Math.min(rest.length, colonEnd + 2));
    }
  }
  // `torn` assigned after, not spread in: a conditional spread costs ~0.2 µs per line in V8.
  const prefix: Mutable<ZephyrLogLine> = { tsForm, timestamp, level, tag, thread, domain, module, func, message };
  if (torn) prefix.torn = true;
  return prefix;
}

function parseOtherForms(text: string): ZephyrLogLine | null {
  const c0 = text.charCodeAt(0);
  // LOG_MODE_MINIMAL: `E: message` (formats.md §1.10).
  if (text.charCodeAt(1) === 58 && text.charCodeAt(2) === 32) {
    const level = MINIMAL_LEVEL[text[0] ?? ''];
    if (level !== undefined) return { tsForm: 'minimal', level, message: text.slice(3) };
  }
  if (c0 === 91 && text.includes('] [')) {
    const m = LEGACY.exec(text);
    if (m) {
      return { tsForm: 'legacy', level: LEGACY_LEVEL[m[2]!]!, module: m[1], func: m[3], message: m[4] ?? '' };
    }
  }
  return null;
}
