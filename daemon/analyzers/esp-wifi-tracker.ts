import type { Boot } from '../core/boot.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { FieldValue, ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import type { BootTracker } from './boot-tracker.ts';
import { eventFromRecord, fieldNumber, fieldString } from './event-draft.ts';

export type WifiPhase = 'idle' | 'resetting' | 'reset_failed' | 'init_failed' | 'ready' | 'connecting' | 'connect_failed' | 'connected' | 'bound' | 'disconnected';
export type WifiOutcome = 'connected' | 'failed' | 'unknown';

/** The ESP module and Wi-Fi link of one boot: reset → ready → connecting → connected → address. */
export interface WifiBootState {
  readonly port: string;
  readonly boot: string | null;
  phase: WifiPhase;
  /** True once any ESP or Wi-Fi record was seen in this boot. */
  active: boolean;
  ssid?: string;
  ip?: string;
  lastErrno?: number;
  lastErrnoName?: string;
  /** `AT+RST` sent in the current (or last) reset sequence. */
  resetAttempts: number;
  resetFailed: boolean;
  /** Id of the `esp.reset_failed` / `esp.init_failed` event of this boot, for later hints. */
  espFailureEventId?: string;
}

export function wifiOutcome(s: WifiBootState): WifiOutcome {
  if (s.phase === 'connected' || s.phase === 'bound') return 'connected';
  if (s.phase === 'connect_failed' || s.phase === 'reset_failed' || s.phase === 'init_failed') return 'failed';
  return 'unknown';
}

export interface EspWifiTrackerOptions {
  readonly tracker: BootTracker;
  /** Whether line host times are real arrival times (false for a capture without timestamps). */
  readonly hostTimesReal: boolean;
  /** Host and device durations differing by more than this fraction are named in the title. */
  readonly disagreementRatio: number;
  /** Boots kept for the report (older ones are dropped: memory bounded by configuration). */
  readonly maxBoots?: number;
}

interface SequenceStart {
  readonly hostTime: HostTime;
  readonly deviceUs?: number;
  readonly seq: number;
}

/**
 * The Wi-Fi/ESP state machine of one port, and the events of its transitions:
 * `esp.reset_failed`, `esp.init_failed`, `wifi.connect_failed`, `wifi.connected`, `dhcp.bound`.
 * It keys on the record kinds of parsers/record-kinds.md, both the console's `wifi_esp_at`
 * driver messages (formats §3.2/§3.3) and raw ESP-AT traffic (formats §5).
 */
export class EspWifiTracker implements RecordAnalyzer {
  readonly name = 'esp-wifi-tracker';
  #states: WifiBootState[] = [];
  #state: WifiBootState | null = null;
  #resetStart: SequenceStart | null = null;
  #connectFailedSinceConnecting = false;
  /** The last AT command the modem layer reported as failed (`command AT+CWMODE=0 ret:-5`), for the init failure after it. */
  #lastFailedCommand: string | null = null;

  constructor(private readonly options: EspWifiTrackerOptions) {}

  /** Every boot with Wi-Fi/ESP activity, oldest first (bounded by `maxBoots`). */
  states(): readonly WifiBootState[] {
    return this.#states.filter((s) => s.active);
  }

  current(): WifiBootState | null {
    return this.#state;
  }

  onBootStart(boot: Boot): void {
    this.#state = { port: boot.port, boot: boot.id, phase: 'idle', active: false, resetAttempts: 0, resetFailed: false };
    this.#states.push(this.#state);
    const max = this.options.maxBoots ?? 256;
    if (this.#states.length > max) this.#states.splice(0, this.#states.length - max);
    this.#resetStart = null;
    this.#connectFailedSinceConnecting = false;
    this.#lastFailedCommand = null;
  }

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    const s = this.#state;
    if (!s) return;
    switch (record.kind) {
      case 'esp_at.reset_wait':
        this.#touch(s, 'resetting');
        this.#resetStart ??= startOf(record);
        break;
      case 'esp_at.rst_sent':
        this.#touch(s, 'resetting');
        this.#resetStart ??= startOf(record);
        s.resetAttempts++;
        break;
      case 'esp-at.command':
        if (/^AT\+RST\b/.test(fieldString(record, 'command') ?? '')) {
          this.#touch(s, 'resetting');
          this.#resetStart ??= startOf(record);
          s.resetAttempts++;
        } else if (/^AT\+CWJAP(?:_CUR|_DEF)?=/.test(fieldString(record, 'command') ?? '')) {
          const result = fieldString(record, 'result');
          if (result === 'OK') this.#connected(record, ctx, s);
          // A `+CWJAP:<code>` line before the final result was reported already, with its meaning.
          else if ((result === 'ERROR' || result === 'FAIL') && record.fields['cwjapCode'] === undefined) this.#connectFailed(record, ctx, s);
          else this.#touch(s, 'connecting');
        }
        break;
      case 'esp_at.ready':
      case 'esp-at.ready':
        this.#touch(s, 'ready');
        this.#resetStart = null;
        this.options.tracker.addMilestone('esp.ready', record.line, record.deviceTime?.us, ctx);
        break;
      case 'esp_at.reset_failed':
        this.#resetFailed(record, ctx, s);
        break;
      case 'modem.cmd_failed':
        this.#touch(s, s.phase);
        this.#lastFailedCommand = fieldString(record, 'command') ?? null;
        break;
      case 'esp_at.init_failed':
        this.#initFailed(record, ctx, s);
        break;
      case 'esp_at.unexpected_reset':
        this.#touch(s, 'idle');
        break;
      case 'wifi.connecting':
        this.#touch(s, 'connecting');
        s.ssid = fieldString(record, 'ssid') ?? s.ssid;
        this.#connectFailedSinceConnecting = false;
        break;
      case 'wifi.connect_failed':
      case 'esp-at.cwjap_error':
        this.#connectFailed(record, ctx, s);
        break;
      case 'wifi.connected':
        // The UC1 app prints `Connected to X` for every connect result, failed ones too
        // (formats §3.6): after a failure it is not an association.
        if (this.#connectFailedSinceConnecting) break;
        this.#connected(record, ctx, s);
        break;
      case 'esp-at.wifi': {
        const state = fieldString(record, 'state');
        if (state === 'connected') this.#connected(record, ctx, s);
        else if (state === 'disconnect') this.#touch(s, 'disconnected');
        break;
      }
      case 'wifi.disconnected':
        this.#touch(s, 'disconnected');
        break;
      case 'dhcp.bound':
      case 'esp-at.ip':
        this.#bound(record, ctx, s);
        break;
      default:
        return;
    }
  }

  #touch(s: WifiBootState, phase: WifiPhase): void {
    s.active = true;
    s.phase = phase;
  }

  #publishState(s: WifiBootState, ctx: AnalyzerContext): void {
    const attrs: Record<string, FieldValue> = {
      'wifi.phase': s.phase,
      'wifi.outcome': wifiOutcome(s),
      'wifi.ssid': s.ssid ?? null,
      'wifi.ip': s.ip ?? null,
      'wifi.errno': s.lastErrno ?? null,
      'wifi.errnoName': s.lastErrnoName ?? null,
      'esp.resetAttempts': s.resetAttempts,
      'esp.resetFailed': s.resetFailed,
    };
    this.options.tracker.setAttrs(attrs, ctx);
  }

  #stateAttrs(s: WifiBootState): Record<string, FieldValue> {
    return { espPhase: s.phase, resetAttempts: s.resetAttempts, ssid: s.ssid ?? null };
  }

  #resetFailed(record: ParsedRecord, ctx: AnalyzerContext, s: WifiBootState): void {
    this.#touch(s, 'reset_failed');
    s.resetFailed = true;
    const errno = fieldNumber(record, 'errno');
    const errnoName = fieldString(record, 'errnoName');
    if (errno !== undefined) s.lastErrno = errno;
    if (errnoName !== undefined) s.lastErrnoName = errnoName;
    const start = this.#resetStart;
    const hostDurationS = start && this.options.hostTimesReal ? (record.line.hostTime - start.hostTime) / 1e6 : null;
    const deviceDurationS = start?.deviceUs !== undefined && record.deviceTime ? (record.deviceTime.us - start.deviceUs) / 1e6 : null;
    const tries = s.resetAttempts;
    const code = errno !== undefined ? ` (${errno}${errnoName ? ` ${errnoName}` : ''})` : '';
    let title = `ESP reset failed after ${tries} ${tries === 1 ? 'try' : 'tries'}${code}`;
    let clockNote = '';
    if (hostDurationS !== null && deviceDurationS !== null && hostDurationS > 0 && Math.abs(hostDurationS - deviceDurationS) > this.options.disagreementRatio * hostDurationS) {
      title += `: ${hostDurationS.toFixed(1)} s of real time but ${deviceDurationS.toFixed(1)} s of device time`;
      clockNote = `; the device clock runs at ${(deviceDurationS / hostDurationS).toFixed(3)} of real time, so every driver timeout lasts longer in reality (see clock.drift)`;
    }
    const hint =
      (errno === -116 || errnoName === 'ETIMEDOUT'
        ? 'the module never answered AT+RST with `ready` within CONFIG_WIFI_ESP_AT_RESET_TIMEOUT (3 s) per try: check the UART wiring and pins, the baud rate (115200), that the AT firmware uses these pins, and that no console shares the UART (formats §3.3, §5.4)'
        : 'the ESP module did not come out of reset: check its UART, power and reset wiring (formats §3.3)') + clockNote;
    const draft = eventFromRecord(record, ctx, {
        kind: 'esp.reset_failed',
        severity: 'error',
        title,
        attrs: {
          errno: errno ?? null,
          errnoName: errnoName ?? null,
          tries,
          hostDurationS: round3(hostDurationS),
          deviceDurationS: round3(deviceDurationS),
          ...(start ? { sequenceFirstSeq: start.seq } : {}),
          ...this.#stateAttrs(s),
        },
        hint,
      });
    // The event covers the whole reset sequence, from its first line to the failure.
    const event = ctx.emitEvent(start ? { ...draft, lines: { ...draft.lines, first: Math.min(start.seq, draft.lines.first) } } : draft);
    s.espFailureEventId = event.id;
    this.#resetStart = null;
    this.#publishState(s, ctx);
  }

  #initFailed(record: ParsedRecord, ctx: AnalyzerContext, s: WifiBootState): void {
    this.#touch(s, 'init_failed');
    const errno = fieldNumber(record, 'errno');
    const errnoName = fieldString(record, 'errnoName');
    if (errno !== undefined) s.lastErrno = errno;
    if (errnoName !== undefined) s.lastErrnoName = errnoName;
    const code = errno !== undefined ? ` (${errno}${errnoName ? ` ${errnoName}` : ''})` : '';
    const event = ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'esp.init_failed',
        severity: 'error',
        title: `ESP module init failed${code}${this.#lastFailedCommand ? ` at ${this.#lastFailedCommand}` : ''}`,
        attrs: { errno: errno ?? null, errnoName: errnoName ?? null, command: this.#lastFailedCommand, ...this.#stateAttrs(s) },
        hint:
          errno === -5 && (this.#lastFailedCommand === null || this.#lastFailedCommand.startsWith('AT+CWMODE=0'))
            ? 'the module answered ERROR to an init command: old AT 1.x firmware rejects AT+CWMODE=0; flash AT 2.x firmware (formats §3.3)'
            : 'an init AT command failed: see the modem_cmd_handler line before it (formats §3.2)',
      }),
    );
    s.espFailureEventId = event.id;
    this.#publishState(s, ctx);
  }

  #connectFailed(record: ParsedRecord, ctx: AnalyzerContext, s: WifiBootState): void {
    this.#touch(s, 'connect_failed');
    this.#connectFailedSinceConnecting = true;
    const errno = fieldNumber(record, 'errno');
    const errnoName = fieldString(record, 'errnoName');
    const cwjapCode = record.kind === 'esp-at.cwjap_error' ? fieldNumber(record, 'code') : undefined;
    const meaning = fieldString(record, 'meaning');
    if (errno !== undefined) s.lastErrno = errno;
    if (errnoName !== undefined) s.lastErrnoName = errnoName;
    s.ssid = fieldString(record, 'ssid') ?? s.ssid;
    const what = s.ssid ? ` to ${s.ssid}` : '';
    const code = errno !== undefined ? `: ${errno}${errnoName ? ` ${errnoName}` : ''}` : cwjapCode !== undefined ? `: +CWJAP:${cwjapCode}${meaning ? ` ${meaning}` : ''}` : '';
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'wifi.connect_failed',
        severity: 'error',
        title: `Wi-Fi connect${what} failed${code}`,
        attrs: {
          errno: errno ?? null,
          errnoName: errnoName ?? null,
          ...(cwjapCode !== undefined ? { cwjapCode, meaning: meaning ?? null } : {}),
          causeEventId: s.espFailureEventId ?? null,
          ...this.#stateAttrs(s),
        },
        hint: connectHint(errno, errnoName, cwjapCode, s),
      }),
    );
    this.#publishState(s, ctx);
  }

  #connected(record: ParsedRecord, ctx: AnalyzerContext, s: WifiBootState): void {
    if (s.phase === 'connected' || s.phase === 'bound') return;
    this.#touch(s, 'connected');
    s.ssid = fieldString(record, 'ssid') ?? s.ssid;
    this.options.tracker.addMilestone('wifi.connected', record.line, record.deviceTime?.us, ctx);
    this.#publishState(s, ctx);
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'wifi.connected',
        severity: 'info',
        title: `Wi-Fi connected${s.ssid ? ` to ${s.ssid}` : ''}`,
        attrs: { ...this.#stateAttrs(s) },
      }),
    );
  }

  #bound(record: ParsedRecord, ctx: AnalyzerContext, s: WifiBootState): void {
    const ip = fieldString(record, 'ip');
    if (s.phase === 'bound' && ip === s.ip) return;
    this.#touch(s, 'bound');
    if (ip !== undefined) s.ip = ip;
    this.options.tracker.addMilestone('dhcp.bound', record.line, record.deviceTime?.us, ctx);
    this.#publishState(s, ctx);
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'dhcp.bound',
        severity: 'info',
        title: `Address acquired${ip ? `: ${ip}` : ''}`,
        attrs: { ip: ip ?? null, ...this.#stateAttrs(s) },
      }),
    );
  }
}

function startOf(record: ParsedRecord): SequenceStart {
  return record.deviceTime ? { hostTime: record.line.hostTime, deviceUs: record.deviceTime.us, seq: record.line.seq } : { hostTime: record.line.hostTime, seq: record.line.seq };
}

function round3(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1000) / 1000;
}

/** Errno values as Zephyr prints them (newlib numbering, formats §4), with what they mean for a connect. */
function connectHint(errno: number | undefined, errnoName: string | undefined, cwjapCode: number | undefined, s: WifiBootState): string | undefined {
  const name = errnoName ?? '';
  if (errno === -115 || name === 'ENETDOWN') {
    if (s.resetFailed) return 'the interface never came up: see the ESP reset failure before it';
    if (s.espFailureEventId) return 'the interface never came up: see the ESP init failure before it';
    return 'the network interface is down (wifi_mgmt refuses requests while the interface is not admin-up, formats §3.5): check the ESP driver init before it';
  }
  if (errno === -5 || name === 'EIO') return 'the module answered ERROR/FAIL, or its carrier is down (formats §3.4)';
  if (errno === -120 || name === 'EALREADY') return 'a connection is already up or in progress (formats §3.4)';
  if (errno === -116 || name === 'ETIMEDOUT') return 'no answer within the connect timeout (20 s, formats §3.4): check that the AP is in range';
  if (cwjapCode === 1) return 'the AP did not answer in time: check that it is in range';
  if (cwjapCode === 2) return 'wrong Wi-Fi password';
  if (cwjapCode === 3) return 'the AP was not found: check the SSID and that the AP is on';
  if (cwjapCode === 4) return 'the connection failed: check the AP settings (security mode, MAC filter)';
  return undefined;
}
