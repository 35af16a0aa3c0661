import type { Line } from '../daemon/core/line.ts';
import type { DeviceTime, Dialect, FieldValue, Level, ParsedRecord } from '../daemon/core/parsed-record.ts';
import type { LineParser, LineParserOptions } from './line-parser.ts';
import { redactSecrets, REDACTED } from './redact.ts';
import { recogniseAtLine, CWJAP_MEANING, type AtLine, type AtResult } from './esp-at/esp-at-line.ts';
import { classifyDriverMessage, classifyModemMessage, type ClassifiedMessage } from './esp-at/driver-message.ts';
import { classifyNetMessage } from './wifi/net-message.ts';
import { parseZephyrLogLine, type ZephyrLogLine } from './zephyr/zephyr-log-prefix.ts';
import { matchBootBanner, matchBootDelay } from './zephyr/boot-banner.ts';
import { FatalDump, continuesFatalDump, isFatalEnd, startsFatalDump } from './zephyr/fatal-dump.ts';
import {
  crossconArtEnd, isCrossconArtLine, isCrossconArtStart, matchBaoBanner, mayHoldHypervisorMessage,
  splitHypervisorMessages, type HvLevel,
} from './hypervisor/hypervisor-output.ts';

export interface CreateLineParserOptions extends LineParserOptions {
  /**
   * Device uptime printed by the application (`Uptime: 1001 ms` by default). Group `ms` (or
   * group 1) holds the milliseconds. The record gets `deviceTime.source = 'uptime'`.
   */
  readonly uptimePattern?: RegExp;
  /** Frequency of raw `[00012345]` log stamps (cycles or ticks, formats.md §1.4); without it they give no device time. */
  readonly cycleHz?: number;
}

const DEFAULT_UPTIME = /\bUptime: (\d+) ms\b/;
const DROPPED = /^--- (\d+) messages dropped ---$/;
const UNORDERED = /^(\d+) unordered messages since last report$/;
const ASSERT = /^ASSERTION FAIL(?: \[(.*)\])?(?: @ (\S+?):(\d+))?/;
const PROMPT = /^(?:[A-Za-z0-9_-]+:~\$ ?)+/;
// A hexdump data line (formats.md §1.7): indented, up to 16 `xx ` groups (extra space after
// the 8th, short lines padded), then `|` and the printable rendering.
const HEX_LINE = /^\s+((?:[0-9a-f]{2} {1,2}){1,16})\s*\|(.*)$/;
// Hexdumps whose data is secret (§1.7 `psk` from wifi_mgmt.c; §3.4 modem verbose debug).
const SECRET_HEXDUMP_LABELS = new Set(['psk', 'SENT DATA', 'SENT EOL', 'RECV']);
const AT_FINAL_LEVEL: Record<AtResult, Level> = {
  OK: 'inf', 'SEND OK': 'inf', 'SET OK': 'inf', ERROR: 'err', FAIL: 'err', 'SEND FAIL': 'err', none: 'wrn',
};
const HV_LEVEL: Record<HvLevel, Level> = { INFO: 'inf', WARNING: 'wrn', ERROR: 'err' };
// Levels of records that carry no `<lvl>` of their own (printk, minimal mode lacks none).
const KIND_LEVEL: Readonly<Record<string, Level>> = {
  'zephyr.fatal': 'err', 'zephyr.assert': 'err', 'zephyr.dropped': 'wrn', 'wifi.connect_failed': 'err',
  'esp_at.reset_failed': 'err', 'esp_at.init_failed': 'err', 'esp_at.iface_timeout': 'err', 'esp_at.unexpected_reset': 'err',
  'modem.cmd_failed': 'err',
};

function dialectOf(kind: string): Dialect {
  if (kind.startsWith('esp_at.') || kind.startsWith('modem.')) return 'wifi_esp_at';
  if (kind.startsWith('esp-at.')) return 'esp-at';
  if (kind.startsWith('hv.')) return 'hypervisor';
  if (kind === 'text') return 'text';
  return 'zephyr';
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function trimmedOf(s: string): string {
  const n = s.length;
  return n > 0 && (isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(n - 1))) ? s.trim() : s;
}

function record(
  line: Line, lastSeq: number, kind: string, message: string, fields: Record<string, FieldValue>,
  level: Level | undefined, module: string | undefined, deviceTime: DeviceTime | undefined,
): ParsedRecord {
  return { line, lastSeq, dialect: dialectOf(kind), kind, level, module, deviceTime, message, fields };
}

function emitRecord(
  line: Line, kind: string, message: string, base: Record<string, FieldValue>, extra: Record<string, FieldValue> | undefined,
  level: Level | undefined, module: string | undefined, deviceTime: DeviceTime | undefined,
): ParsedRecord {
  if (extra !== undefined) for (const k in extra) base[k] = extra[k]!;
  return record(line, line.seq, kind, message, base, level ?? KIND_LEVEL[kind], module, deviceTime);
}

interface HeldFatal {
  readonly line: Line;
  lastSeq: number;
  readonly dump: FatalDump;
  readonly module: string | undefined;
  readonly deviceTime: DeviceTime | undefined;
  readonly base: Record<string, FieldValue>;
}

interface HeldAssert {
  readonly line: Line;
  lastSeq: number;
  readonly fields: Record<string, FieldValue>;
  readonly message: string;
}

interface LastLog {
  readonly line: Line;
  readonly label: string;
  readonly level: Level | undefined;
  readonly module: string | undefined;
  readonly deviceTime: DeviceTime | undefined;
}

interface HeldHexdump {
  readonly label: LastLog;
  readonly line: Line;
  lastSeq: number;
  hex: string;
  ascii: string;
  count: number;
}

interface HeldArt {
  readonly line: Line;
  lastSeq: number;
}

interface HeldCommand {
  readonly line: Line;
  lastSeq: number;
  readonly command: string;
  echo: boolean;
  errCode: string | undefined;
  cwjap: number | undefined;
  readonly flagged: boolean;
}

/**
 * The line parser of one port: Zephyr log lines in every timestamp form, printk lines,
 * banners, fatal dumps, asserts, hexdumps, `wifi_esp_at` driver messages, Wi-Fi/DHCP lines,
 * Bao/CROSSCON output, and ESP-AT protocol traffic with commands paired to their results.
 * Pure and synchronous; total: every string gives records, never an exception.
 */
function isSecretHexdump(h: HeldHexdump): boolean {
  const label = h.label.label;
  // Older modem_cmd_handler builds print the function as `func: RECV` after the module.
  const sep = label.lastIndexOf(': ');
  return SECRET_HEXDUMP_LABELS.has(label) || SECRET_HEXDUMP_LABELS.has(sep >= 0 ? label.slice(sep + 2) : label) || h.ascii.includes('AT+CW') || h.ascii.includes('CWJAP') || h.ascii.includes('CWSAP');
}

export function createLineParser(options: CreateLineParserOptions): LineParser {
  return new DialectLineParser(options);
}

class DialectLineParser implements LineParser {
  readonly #role: LineParserOptions['role'];
  readonly #uptime: RegExp;
  readonly #uptimeDefault: boolean;
  readonly #cycleHz: number | undefined;
  #fatal: HeldFatal | null = null;
  #assert: HeldAssert | null = null;
  #lastLog: LastLog | null = null;
  #hexdump: HeldHexdump | null = null;
  #art: HeldArt | null = null;
  #at: HeldCommand | null = null;

  constructor(options: CreateLineParserOptions) {
    this.#role = options.role;
    this.#uptime = options.uptimePattern ?? DEFAULT_UPTIME;
    this.#uptimeDefault = options.uptimePattern === undefined;
    this.#cycleHz = options.cycleHz;
  }

  /**
   * Whether the line just pushed is a data line of a hexdump that carries a secret (a `psk`
   * dump, or modem verbose debug of an `AT+CWJAP`): its text must not leave the process even
   * though each line alone does not match `redactSecrets` (the password is spread over lines,
   * in hex). The live pipeline publishes such lines redacted.
   */
  lastLineSecret(line: Line): boolean {
    const h = this.#hexdump;
    return h !== null && h.lastSeq === line.seq && h.line.seq !== h.label.line.seq && isSecretHexdump(h);
  }

  push(line: Line): ParsedRecord[] {
    const out: ParsedRecord[] = [];
    try {
      this.#handle(line, out);
    } catch {
      // Totality is the contract (DESIGN.md "parsers"); a bug here must not lose the line.
      // `parseError` makes such a bug visible (test/property/parsers.test.ts asserts it never appears).
      out.push(record(line, line.seq, 'text', safeText(line), { parseError: true }, undefined, undefined, undefined));
    }
    return out;
  }

  /**
   * After silence on the port: ends the multi-line records a halted device leaves open (a fault
   * dump without `Halting system`), but keeps an AT command waiting for its result: a connect
   * may take 20 s before `OK` (wifi_esp_at `esp.h` timeouts, formats.md §3.4).
   */
  flushIdle(): ParsedRecord[] {
    const out: ParsedRecord[] = [];
    this.#closeHexdump(out);
    this.#closeAssert(out);
    this.#closeFatal(out);
    this.#closeArt(out);
    return out;
  }

  flush(): ParsedRecord[] {
    const out: ParsedRecord[] = [];
    this.#closeHexdump(out);
    this.#closeAssert(out);
    this.#closeFatal(out);
    this.#closeArt(out);
    this.#closeCommand(out, 'none', undefined);
    this.#lastLog = null;
    return out;
  }

  #handle(line: Line, out: ParsedRecord[]): void {
    let text = redactSecrets(typeof line.text === 'string' ? line.text : '');
    const n = text.length;
    if (n > 0 && isSpace(text.charCodeAt(n - 1))) text = text.trimEnd();
    let prompt: string | undefined;
    const p = text.indexOf(':~$');
    if (p >= 0 && p < 24) {
      const m = PROMPT.exec(text);
      if (m) {
        prompt = m[0].trimEnd();
        text = text.slice(m[0].length);
        if (text.trim().length === 0) {
          this.#closeMultiline(out);
          out.push(record(line, line.seq, 'zephyr.shell', '', { prompt }, undefined, undefined, undefined));
          return;
        }
      }
    }
    if (text.length === 0) {
      // Double terminators (`\n\r\n`, Bao's `\n\r`) give empty lines: they end nothing (§1.5).
      out.push(record(line, line.seq, 'text', '', {}, undefined, undefined, undefined));
      return;
    }

    if (mayHoldHypervisorMessage(text)) {
      const split = splitHypervisorMessages(text);
      if (split) {
        if (split.before.length > 0) this.#handleText(line, split.before, undefined, out);
        else this.#closeMultiline(out);
        for (const m of split.messages) {
          out.push(record(line, line.seq, 'hv.log', m.message, { hv: m.hv, hvLevel: m.hvLevel }, HV_LEVEL[m.hvLevel], undefined, undefined));
        }
        this.#lastLog = null;
        return;
      }
    }
    this.#handleText(line, text, prompt, out);
  }

  #handleText(line: Line, text: string, prompt: string | undefined, out: ParsedRecord[]): void {
    const c0 = text.charCodeAt(0);

    // CROSSCON logo: one hv.banner record for its lines.
    if (this.#art !== null) {
      const time = crossconArtEnd(text);
      if (time !== null) {
        const held = this.#art;
        this.#art = null;
        out.push(record(held.line, line.seq, 'hv.banner', 'CROSSCON Hypervisor', { hv: 'crosscon', version: null, buildTime: time }, 'inf', undefined, undefined));
        return;
      }
      if (isCrossconArtLine(text)) {
        this.#art.lastSeq = line.seq;
        return;
      }
      this.#closeArt(out);
    } else if (c0 === 32 && isCrossconArtStart(text)) {
      this.#closeMultiline(out);
      this.#art = { line, lastSeq: line.seq };
      return;
    }

    if (c0 === 66 /* B */) {
      const bao = matchBaoBanner(text);
      if (bao !== null) {
        this.#closeMultiline(out);
        out.push(record(line, line.seq, 'hv.banner', text, { hv: 'bao', version: bao.version, built: bao.built }, 'inf', undefined, undefined));
        return;
      }
    }

    // Hexdump continuation lines join the dump that follows a log line (§1.7).
    if (c0 === 32 && (this.#hexdump !== null || this.#lastLog !== null)) {
      const m = HEX_LINE.exec(text);
      if (m) {
        if (this.#hexdump === null) {
          this.#hexdump = { label: this.#lastLog!, line, lastSeq: line.seq, hex: '', ascii: '', count: 0 };
        }
        const h = this.#hexdump;
        const bytes = m[1]!.trim().split(/ +/);
        h.hex += bytes.join('');
        h.count += bytes.length;
        // Rendered from the hex (printable ASCII or `.`, as log_output.c does): the printed
        // column loses trailing spaces to terminals and copy-paste.
        for (const b of bytes) {
          const v = Number.parseInt(b, 16);
          h.ascii += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
        }
        h.lastSeq = line.seq;
        return;
      }
    }
    this.#closeHexdump(out);

    if (this.#assert !== null) {
      if (c0 === 9) {
        this.#assert.fields['detail'] = text.trim();
        this.#assert.lastSeq = line.seq;
        this.#closeAssert(out);
        return;
      }
      this.#closeAssert(out);
    }

    const at = recogniseAtLine(text);
    if (at !== null && this.#handleAt(line, text, at, out)) {
      this.#lastLog = null;
      return;
    }

    const log = parseZephyrLogLine(text, this.#cycleHz);
    const msg = log !== null ? log.message : text;
    const trimmed = trimmedOf(msg);
    const module = log?.module;

    if (this.#fatal !== null) {
      const fromOs = log !== null && log.tsForm !== 'minimal' && (module === 'os' || module === undefined) && log.level === 'err';
      const isStars = trimmed.startsWith('*****');
      const continues = isStars ? startsFatalDump(trimmed)
        : fromOs || ((log === null || log.tsForm === 'minimal') && (isSpace(msg.charCodeAt(0)) || continuesFatalDump(trimmed)));
      if (continues) {
        this.#fatal.dump.add(trimmed);
        this.#fatal.lastSeq = line.seq;
        if (isFatalEnd(trimmed)) this.#closeFatal(out);
        return;
      }
      this.#closeFatal(out);
    }

    const base: Record<string, FieldValue> = {};
    let deviceTime: DeviceTime | undefined;
    let level: Level | undefined;
    if (log !== null) {
      base['tsForm'] = log.tsForm;
      if (log.tag !== undefined) base['tag'] = log.tag;
      if (log.torn === true) base['torn'] = true;
      if (log.thread !== undefined) base['thread'] = log.thread;
      if (log.domain !== undefined) base['domain'] = log.domain;
      if (log.func !== undefined) base['func'] = log.func;
      if (log.timestamp?.raw !== undefined) base['rawTs'] = log.timestamp.raw;
      deviceTime = log.timestamp?.deviceTime;
      level = log.level;
    }
    if (prompt !== undefined) base['prompt'] = prompt;
    const message = msg;


    const t0 = trimmed.charCodeAt(0);
    // Banners, boot delay, fault headers (all start with stars).
    if (t0 === 42 /* * */) {
      const banner = matchBootBanner(trimmed);
      if (banner !== null) {
        this.#lastLog = null;
        const f: Record<string, FieldValue> = { os: banner.os, version: banner.version };
        if (banner.delayMs !== undefined) f['delayMs'] = banner.delayMs;
        level ??= 'inf';
        out.push(emitRecord(line, banner.using === true ? 'zephyr.banner_info' : 'zephyr.banner', message, base, f, level, module, deviceTime));
        return;
      }
      const delay = matchBootDelay(trimmed);
      if (delay !== null) {
        this.#lastLog = null;
        level ??= 'inf';
        out.push(emitRecord(line, 'zephyr.boot_delay', message, base, { delayMs: delay }, level, module, deviceTime));
        return;
      }
    }
    if ((module === undefined || module === 'os') && (log === null || log.level === 'err' || log.tsForm === 'minimal') && startsFatalDump(trimmed)) {
      this.#lastLog = null;
      const dump = new FatalDump();
      dump.add(trimmed);
      this.#fatal = { line, lastSeq: line.seq, dump, module, deviceTime, base };
      if (isFatalEnd(trimmed)) this.#closeFatal(out);
      return;
    }
    if (t0 === 65 /* A */ && trimmed.startsWith('ASSERTION FAIL')) {
      this.#lastLog = null;
      const m = ASSERT.exec(trimmed)!;
      if (m[1] !== undefined) base['expr'] = m[1];
      if (m[2] !== undefined) base['file'] = m[2];
      if (m[3] !== undefined) base['lineNo'] = Number(m[3]);
      this.#assert = { line, lastSeq: line.seq, fields: base, message: trimmed };
      return;
    }
    if (t0 === 45 /* - */) {
      const m = DROPPED.exec(trimmed);
      if (m) {
        this.#lastLog = null;
        out.push(emitRecord(line, 'zephyr.dropped', message, base, { count: Number(m[1]) }, level, module, deviceTime));
        return;
      }
    }
    if (t0 >= 48 && t0 <= 57) {
      const m = UNORDERED.exec(trimmed);
      if (m) {
        this.#lastLog = null;
        out.push(emitRecord(line, 'zephyr.dropped', message, base, { count: 0, unordered: Number(m[1]) }, level, module, deviceTime));
        return;
      }
    }
    if (!this.#uptimeDefault || trimmed.includes('Uptime')) {
      const m = this.#uptime.exec(trimmed);
      const ms = m ? Number(m.groups?.['ms'] ?? m[1]) : Number.NaN;
      if (Number.isFinite(ms)) {
        this.#lastLog = null;
        const f: Record<string, FieldValue> = { ms };
        if (deviceTime !== undefined) f['logUs'] = deviceTime.us;
        out.push(emitRecord(line, 'uptime', message, base, f, level, module, { us: ms * 1000, source: 'uptime', resolutionUs: 1000 }));
        return;
      }
    }

    let classified: ClassifiedMessage | null = null;
    if (module === undefined || module.startsWith('wifi_esp_at')) classified = classifyDriverMessage(trimmed);
    else if (module === 'modem_cmd_handler') classified = classifyModemMessage(trimmed);
    if (classified === null && (module === 'mcuboot' && trimmed === 'Starting bootloader')) {
      classified = { kind: 'zephyr.banner', fields: { os: 'mcuboot', version: null } };
    }
    classified ??= classifyNetMessage(trimmed, module);
    if (classified === null && t0 === 35 && trimmed.startsWith('##ZLOGV1##')) {
      classified = { kind: 'text', fields: { dictionary: true } };
    }

    if (classified !== null) {
      out.push(emitRecord(line, classified.kind, message, base, classified.fields, level, module, deviceTime));
    } else if (log !== null) {
      out.push(emitRecord(line, 'zephyr.log', message, base, undefined, level, module, deviceTime));
    } else {
      // Plain text on a text or esp-at port carries no dialect of its own.
      out.push(emitRecord(line, this.#role === 'zephyr' || this.#role === 'hypervisor' ? 'zephyr.printk' : 'text', message, base, undefined, level, module, deviceTime));
    }
    this.#lastLog = log !== null && log.tsForm !== 'minimal'
      ? { line, label: trimmed, level: log.level, module, deviceTime }
      : null;
  }

  /** ESP-AT traffic; returns false when the line should be parsed as something else. */
  #handleAt(line: Line, text: string, at: AtLine, out: ParsedRecord[]): boolean {
    const esp = this.#role === 'esp-at';
    if (!esp && !at.strong && this.#at === null) return false;
    this.#closeMultiline(out);
    const flag: Record<string, FieldValue> = esp ? {} : { atTraffic: true };
    const push = (kind: string, fields: Record<string, FieldValue>, level: Level | undefined, message: string) => {
      out.push(record(line, line.seq, kind, message, { ...fields, ...flag }, level, undefined, undefined));
    };
    switch (at.type) {
      case 'command': {
        const held = this.#at;
        if (held !== null && held.command === at.command) {
          // With echo on (ATE1, the default) the module sends the command line back first (§5.1).
          held.echo = true;
          held.lastSeq = line.seq;
          return true;
        }
        this.#closeCommand(out, 'none', undefined);
        this.#at = { line, lastSeq: line.seq, command: at.command, echo: false, errCode: undefined, cwjap: undefined, flagged: !esp };
        return true;
      }
      case 'final':
        if (this.#at !== null) {
          this.#closeCommand(out, at.result, line);
          return true;
        }
        push('esp-at.result', { result: at.result }, AT_FINAL_LEVEL[at.result], text);
        return true;
      case 'errcode':
        if (this.#at !== null) {
          this.#at.errCode = at.code;
          this.#at.lastSeq = line.seq;
          return true;
        }
        push('esp-at.info', { what: 'errcode', errCode: at.code }, 'err', text);
        return true;
      case 'ready':
        push('esp-at.ready', {}, 'inf', 'ready');
        return true;
      case 'wifi':
        push('esp-at.wifi', { state: at.state }, at.state === 'disconnect' ? 'wrn' : 'inf', text);
        return true;
      case 'cwjap': {
        if (this.#at !== null) this.#at.cwjap = at.code;
        push('esp-at.cwjap_error', { code: at.code, meaning: CWJAP_MEANING[at.code] ?? 'unknown' }, 'err', text);
        return true;
      }
      case 'ip':
        push('esp-at.ip', { ip: at.ip }, 'inf', text);
        return true;
      case 'info':
        push('esp-at.info', { what: at.what }, at.what === 'busy' || at.what === 'restart' ? 'wrn' : 'inf', text);
        return true;
    }
  }

  #closeCommand(out: ParsedRecord[], result: AtResult, resultLine: Line | undefined): void {
    const held = this.#at;
    if (held === null) return;
    this.#at = null;
    const fields: Record<string, FieldValue> = {
      command: held.command,
      result,
      durationUs: resultLine !== undefined ? resultLine.hostTime - held.line.hostTime : null,
    };
    if (held.errCode !== undefined) fields['errCode'] = held.errCode;
    if (held.cwjap !== undefined) fields['cwjapCode'] = held.cwjap;
    if (held.echo) fields['echo'] = true;
    if (held.flagged) fields['atTraffic'] = true;
    const lastSeq = resultLine !== undefined ? resultLine.seq : held.lastSeq;
    out.push(record(held.line, lastSeq, 'esp-at.command', `${held.command} → ${result}`, fields, AT_FINAL_LEVEL[result], undefined, undefined));
  }

  /** Ends every held multi-line record except a pending AT command (which never delays others). */
  #closeMultiline(out: ParsedRecord[]): void {
    this.#closeHexdump(out);
    this.#closeAssert(out);
    this.#closeFatal(out);
    this.#closeArt(out);
    this.#lastLog = null;
  }

  #closeFatal(out: ParsedRecord[]): void {
    const f = this.#fatal;
    if (f === null) return;
    this.#fatal = null;
    const fields = f.dump.fields();
    for (const k in f.base) fields[k] ??= f.base[k]!;
    out.push(record(f.line, f.lastSeq, 'zephyr.fatal', f.dump.message(), fields, 'err', f.module, f.deviceTime));
  }

  #closeAssert(out: ParsedRecord[]): void {
    const a = this.#assert;
    if (a === null) return;
    this.#assert = null;
    out.push(record(a.line, a.lastSeq, 'zephyr.assert', a.message, a.fields, 'err', undefined, undefined));
  }

  #closeArt(out: ParsedRecord[]): void {
    const a = this.#art;
    if (a === null) return;
    this.#art = null;
    out.push(record(a.line, a.lastSeq, 'hv.banner', 'CROSSCON Hypervisor', { hv: 'crosscon', version: null }, 'inf', undefined, undefined));
  }

  #closeHexdump(out: ParsedRecord[]): void {
    const h = this.#hexdump;
    if (h === null) return;
    this.#hexdump = null;
    this.#lastLog = null;
    const label = h.label.label;
    const secret = isSecretHexdump(h);
    const fields: Record<string, FieldValue> = {
      label,
      labelSeq: h.label.line.seq,
      count: h.count,
      bytes: secret ? REDACTED : h.hex,
    };
    if (!secret) fields['ascii'] = h.ascii;
    out.push(record(h.line, h.lastSeq, 'zephyr.hexdump', `${label}: ${h.count} bytes`, fields, h.label.level, h.label.module, h.label.deviceTime));
  }
}

function safeText(line: Line): string {
  try {
    return typeof line.text === 'string' ? redactSecrets(line.text) : '';
  } catch {
    return '';
  }
}
