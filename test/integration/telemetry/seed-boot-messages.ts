import type { Boot, Milestone } from '../../../daemon/core/boot.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import type { HostTime } from '../../../daemon/core/host-time.ts';
import type { Line } from '../../../daemon/core/line.ts';
import type { DeviceTime, Dialect, FieldValue, Level, ParsedRecord } from '../../../daemon/core/parsed-record.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';

/** The Wi-Fi password of the scenario: no exported byte may contain it. */
export const TEST_PASSWORD = 'hunter2-Seed-Passw0rd';
export const BOARD = 'lpcxpresso55s69';

/**
 * The seed story on one bench as bus messages (fixtures/seed, DESIGN.md): a Zephyr boot in a
 * Bao VM whose ESP never answers AT+RST (-116), whose connect fails (-115 ENETDOWN), whose
 * clock runs 8x slow (drift fit 0.125), and which ends in a HARD FAULT; the ESP-AT tap shows
 * the commands, among them an AT+CWJAP whose password the parser redacted. Then a second boot
 * that connects and gets an address.
 */
export interface SeedScenario {
  readonly t0: HostTime;
  readonly messages: BusMessage[];
  /** The `<err>` log line printed 300 ms after the device stamped it, after the drift fit. */
  readonly lateLine: { readonly hostTime: HostTime; readonly expectedTimestamp: HostTime; readonly deviceUs: number };
  /** A record whose host time is before any fit: its timestamp must be its host time. */
  readonly earlyHostTime: HostTime;
  readonly records: number;
}

const seqs = new Map<string, number>();
const enc = new TextEncoder();

function line(port: string, hostTime: HostTime, text: string): Line {
  const seq = seqs.get(port) ?? 0;
  seqs.set(port, seq + 1);
  return { port, seq, hostTime, bytes: enc.encode(`${text}\r\n`), terminator: 'crlf', text, nonTextBytes: 0, flags: { partial: false, truncated: false } };
}

interface RecordSpec {
  port?: string;
  at: HostTime;
  text: string;
  kind: string;
  dialect?: Dialect;
  level?: Level;
  module?: string;
  deviceTime?: DeviceTime;
  message?: string;
  fields?: Record<string, FieldValue>;
}

export function seedScenario(t0: HostTime): SeedScenario {
  seqs.clear();
  const messages: BusMessage[] = [];
  let records = 0;
  let events = 0;
  const ratio = 0.125;
  // Device log time on the 1/8 clock: exactly on the line for the on-time lines.
  const dev = (at: HostTime): DeviceTime => ({ us: Math.round((at - t0) * ratio), source: 'log', resolutionUs: 1000 });
  const rec = (r: RecordSpec): ParsedRecord => {
    const l = line(r.port ?? 'console', r.at, r.text);
    const record: ParsedRecord = {
      line: l, lastSeq: l.seq, dialect: r.dialect ?? 'zephyr', kind: r.kind, message: r.message ?? r.text, fields: r.fields ?? {},
      ...(r.level ? { level: r.level } : {}), ...(r.module ? { module: r.module } : {}), ...(r.deviceTime ? { deviceTime: r.deviceTime } : {}),
    };
    messages.push({ type: 'record', record });
    records++;
    return record;
  };
  const event = (e: Omit<BusEvent, 'id' | 'lines' | 'port'> & { port?: string }): void => {
    const port = e.port ?? 'console';
    const seq = (seqs.get(port) ?? 1) - 1;
    messages.push({ type: 'event', event: { ...e, port, id: `ev-${++events}`, lines: { port, first: seq, last: seq } } });
  };
  const milestones: Milestone[] = [{ name: 'banner', hostTime: t0, seq: 0 }];
  const boot0 = (endReason: Boot['endReason']): Boot => ({
    id: 'console#0', port: 'console', index: 0, hostStart: t0, firstSeq: 0, banner: '*** Booting Zephyr OS build v4.1.0 ***',
    version: 'v4.1.0', kind: 'zephyr', milestones: [...milestones], endReason,
  });

  messages.push({ type: 'boot', boot: boot0('running') });
  rec({ at: t0, text: '*** Booting Zephyr OS build v4.1.0 ***', kind: 'zephyr.banner', fields: { os: 'zephyr', version: 'v4.1.0' } });
  const earlyHostTime = t0 + 100_000;
  rec({ at: earlyHostTime, text: '[00:00:00.012,500] <inf> wifi_esp_at: Waiting for interface to come up by itself...', kind: 'esp_at.reset_wait', dialect: 'wifi_esp_at', level: 'inf', module: 'wifi_esp_at', deviceTime: dev(earlyHostTime), message: 'Waiting for interface to come up by itself...' });
  for (let i = 1; i <= 3; i++) {
    const at = t0 + i * 1_000_000;
    rec({ at, text: 'ESP_AT: sending RST CMD', kind: 'esp_at.rst_sent', dialect: 'wifi_esp_at', level: 'dbg', module: 'wifi_esp_at', deviceTime: dev(at), message: 'sending RST CMD' });
  }
  const failAt = t0 + 4_000_000;
  rec({ at: failAt, text: '<err> wifi_esp_at: Failed to reset device: -116', kind: 'esp_at.reset_failed', dialect: 'wifi_esp_at', level: 'err', module: 'wifi_esp_at', deviceTime: dev(failAt), message: 'Failed to reset device: -116', fields: { errno: -116, errnoName: 'ETIMEDOUT' } });
  event({ kind: 'esp.reset_failed', severity: 'error', boot: 'console#0', hostTime: failAt, title: 'ESP reset failed after 3 AT+RST tries: -116 ETIMEDOUT', attrs: { tries: 3, errno: -116, errnoName: 'ETIMEDOUT' } });
  const connectAt = t0 + 5_000_000;
  rec({ at: connectAt, text: 'Connecting to Wi-Fi network lab-ap...', kind: 'wifi.connecting', level: 'inf', module: 'app', deviceTime: dev(connectAt), message: 'Connecting to Wi-Fi network lab-ap...', fields: { ssid: 'lab-ap' } });

  // The ESP-AT tap: its own port and boot.
  const espStart = t0 + 200_000;
  messages.push({ type: 'boot', boot: { id: 'esp#0', port: 'esp', index: 0, hostStart: espStart, firstSeq: 0, kind: 'unknown', milestones: [], endReason: 'running' } });
  rec({ port: 'esp', at: t0 + 5_100_000, text: 'AT+CWMODE=1', kind: 'esp-at.command', dialect: 'esp-at', message: 'AT+CWMODE=1', fields: { command: 'AT+CWMODE=1', result: 'OK', durationUs: 2_000 } });
  const redacted = 'AT+CWJAP="lab-ap","[redacted]"';
  // The line's raw text carries the password (as a capture would before redaction); only the record is exported.
  rec({ port: 'esp', at: t0 + 5_200_000, text: `AT+CWJAP="lab-ap","${TEST_PASSWORD}"`, kind: 'esp-at.command', dialect: 'esp-at', level: 'err', message: redacted, fields: { command: redacted, result: 'FAIL', durationUs: 3_000_000, errCode: 3 } });
  // A record that slipped past a parser unredacted: the sink redacts once more.
  rec({ port: 'esp', at: t0 + 8_300_000, text: `AT+CWJAP_CUR="lab-ap","${TEST_PASSWORD}"`, kind: 'text', dialect: 'text', message: `echo AT+CWJAP_CUR="lab-ap","${TEST_PASSWORD}"`, fields: { raw: `AT+CWJAP_CUR="lab-ap","${TEST_PASSWORD}"` } });

  const failConnectAt = t0 + 8_000_000;
  rec({ at: failConnectAt, text: 'Failed to connect to Wi-Fi network: -115', kind: 'wifi.connect_failed', level: 'err', module: 'app', deviceTime: dev(failConnectAt), message: 'Failed to connect to Wi-Fi network: -115', fields: { errno: -115, errnoName: 'ENETDOWN' } });
  event({ kind: 'wifi.connect_failed', severity: 'error', boot: 'console#0', hostTime: failConnectAt, title: 'Wi-Fi connect failed: -115 ENETDOWN', attrs: { errno: -115, errnoName: 'ENETDOWN', ssid: 'lab-ap' } });

  messages.push({ type: 'drift', fit: { port: 'console', boot: 'console#0', source: 'log', ratio, ppm: (ratio - 1) * 1e6, uncertaintyPpm: 40, samples: 8, spanS: 8, verdict: 'drift', hint: '1/8: CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC is 96 MHz, the timer runs at 12 MHz' } });
  event({ kind: 'clock.drift', severity: 'warning', boot: 'console#0', hostTime: failConnectAt + 1, title: 'Device clock runs at 0.125 of real time', attrs: { ratio, ppm: (ratio - 1) * 1e6, source: 'log' }, state: 'raised' });

  // Stamped by the device at t0+9 s of real time, printed 300 ms later (deferred logging).
  const stampedAt = t0 + 9_000_000;
  const lateHost = stampedAt + 300_000;
  const lateDev = dev(stampedAt);
  rec({ at: lateHost, text: '[00:00:01.125,000] <err> net_mgmt: interface down', kind: 'zephyr.log', level: 'err', module: 'net_mgmt', deviceTime: lateDev, message: 'interface down', fields: { tsForm: 'default' } });

  milestones.push({ name: 'app.ready', hostTime: t0 + 9_500_000, seq: 9 });
  messages.push({ type: 'boot', boot: boot0('running') });
  const faultAt = t0 + 10_000_000;
  rec({ at: faultAt, text: '***** HARD FAULT *****', kind: 'zephyr.fatal', level: 'err', module: 'os', deviceTime: dev(faultAt), message: 'HARD FAULT', fields: { faultType: 'HARD FAULT', pc: '0x10001234' } });
  event({ kind: 'fault', severity: 'critical', boot: 'console#0', hostTime: faultAt, title: 'HARD FAULT at 0x10001234', attrs: { faultType: 'HARD FAULT', pc: '0x10001234' } });
  messages.push({ type: 'boot', boot: boot0('fault') });

  // Second boot: connects after 3 s and gets an address.
  const t1 = t0 + 12_000_000;
  messages.push({ type: 'boot', boot: { id: 'console#1', port: 'console', index: 1, hostStart: t1, firstSeq: 20, banner: '*** Booting Zephyr OS build v4.1.0 ***', version: 'v4.1.0', kind: 'zephyr', milestones: [{ name: 'banner', hostTime: t1, seq: 20 }], endReason: 'running' } });
  rec({ at: t1 + 1_000_000, text: 'Connecting to Wi-Fi network lab-ap...', kind: 'wifi.connecting', level: 'inf', module: 'app', message: 'Connecting to Wi-Fi network lab-ap...', fields: { ssid: 'lab-ap' } });
  event({ kind: 'wifi.connected', severity: 'info', boot: 'console#1', hostTime: t1 + 3_000_000, title: 'Connected to lab-ap', attrs: { ssid: 'lab-ap' } });
  rec({ at: t1 + 3_100_000, text: 'Run dhcpv4 client', kind: 'dhcp.start', level: 'inf', module: 'app', message: 'Run dhcpv4 client' });
  event({ kind: 'dhcp.bound', severity: 'info', boot: 'console#1', hostTime: t1 + 4_000_000, title: 'DHCP bound 192.0.2.17', attrs: { ip: '192.0.2.17' } });

  const offset = t0; // every on-time sample lies on host = t0 + device / ratio
  return {
    t0, messages, records, earlyHostTime,
    lateLine: { hostTime: lateHost, expectedTimestamp: Math.round(offset + lateDev.us / ratio), deviceUs: lateDev.us },
  };
}
