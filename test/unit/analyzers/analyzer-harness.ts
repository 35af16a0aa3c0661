// Builds lines and records by hand (the record contract of parsers/record-kinds.md) and runs a
// real PortAnalysis over them, collecting what it publishes.
import type { Boot } from '../../../daemon/core/boot.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import type { Line } from '../../../daemon/core/line.ts';
import type { DeviceTimeSource, FieldValue, Level, ParsedRecord } from '../../../daemon/core/parsed-record.ts';
import type { PortRole } from '../../../daemon/core/port-role.ts';
import type { RecordAnalyzer } from '../../../daemon/analyzers/record-analyzer.ts';
import { configSchema, type Config } from '../../../daemon/config/schema.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';
import { createPortAnalysis, type PortAnalysis } from '../../../daemon/analyzers/port-analysis.ts';

export const T0 = 1_764_000_000_000_000; // µs since epoch

export interface RecordSpec {
  readonly kind?: string;
  readonly text?: string;
  readonly message?: string;
  readonly fields?: Record<string, FieldValue>;
  readonly level?: Level;
  /** Device time in ms. */
  readonly deviceMs?: number;
  readonly source?: DeviceTimeSource;
  /** Host time offset from T0 in ms; default: 10 ms per line. */
  readonly hostMs?: number;
  readonly nonTextBytes?: number;
  readonly extraLines?: number;
}

export class Harness {
  readonly messages: BusMessage[] = [];
  readonly analysis: PortAnalysis;
  seq = 0;
  hostMs = 0;

  constructor(
    readonly role: PortRole = 'zephyr',
    rawConfig: unknown = {},
    readonly port = 'console',
    extra: RecordAnalyzer[] = [],
    hostTimesReal = true,
  ) {
    const config: Config = configSchema.parse(rawConfig);
    let n = 0;
    this.analysis = createPortAnalysis({
      port,
      role,
      config,
      publish: (m) => this.messages.push(m),
      extraAnalyzers: extra,
      nextEventId: () => `e${++n}`,
      hostTimesReal,
    });
  }

  line(text: string, opts: { hostMs?: number; nonTextBytes?: number } = {}): Line {
    this.hostMs = opts.hostMs ?? this.hostMs + 10;
    const bytes = new TextEncoder().encode(`${text}\r\n`);
    return {
      port: this.port,
      seq: this.seq++,
      hostTime: T0 + Math.round(this.hostMs * 1000),
      bytes,
      terminator: 'crlf',
      text,
      nonTextBytes: opts.nonTextBytes ?? 0,
      flags: { partial: false, truncated: false },
    };
  }

  /** Feeds one line and its record through onLine then onRecord, as the pipeline does. */
  feed(spec: RecordSpec): ParsedRecord {
    const text = spec.text ?? spec.message ?? '';
    const line = this.line(text, { ...(spec.hostMs !== undefined ? { hostMs: spec.hostMs } : {}), ...(spec.nonTextBytes !== undefined ? { nonTextBytes: spec.nonTextBytes } : {}) });
    this.analysis.onLine(line);
    for (let i = 0; i < (spec.extraLines ?? 0); i++) this.analysis.onLine(this.line(`${text} (cont ${i})`));
    const record: ParsedRecord = {
      line,
      lastSeq: this.seq - 1,
      dialect: 'zephyr',
      kind: spec.kind ?? 'text',
      ...(spec.level ? { level: spec.level } : {}),
      ...(spec.deviceMs !== undefined ? { deviceTime: { us: Math.round(spec.deviceMs * 1000), source: spec.source ?? 'log', resolutionUs: 1000 } } : {}),
      message: spec.message ?? text,
      fields: spec.fields ?? {},
    };
    this.analysis.onRecord(record);
    return record;
  }

  /** A raw line with no record (garbage that no parser understood still gets a text record; this is for line-only hooks). */
  feedLine(text: string, nonTextBytes = 0): Line {
    const line = this.line(text, { nonTextBytes });
    this.analysis.onLine(line);
    return line;
  }

  end(): void {
    this.analysis.end(T0 + Math.round((this.hostMs + 1) * 1000));
  }

  events(kind?: string): BusEvent[] {
    return this.messages.flatMap((m) => (m.type === 'event' && (kind === undefined || m.event.kind === kind) ? [m.event] : []));
  }

  /** The last published state of every boot, in order of first appearance. */
  boots(): Boot[] {
    const byId = new Map<string, Boot>();
    for (const m of this.messages) if (m.type === 'boot') byId.set(m.boot.id, m.boot);
    return [...byId.values()];
  }
}

/** The seed's reset-failure sequence (fixtures/seed/wifi-app-esp-reset-failure.log) as records. */
export function feedSeedResetFailure(h: Harness, hostScale = 1): void {
  const at = (ms: number) => ms * hostScale;
  h.feed({ kind: 'esp_at.message', message: 'DT has external_reset', deviceMs: 0, hostMs: at(0), fields: { meaning: 'x' } });
  h.feed({ kind: 'esp_at.reset_wait', message: 'Waiting for interface to come up by itself...', deviceMs: 0, hostMs: at(0) + 1 });
  h.feed({ kind: 'esp_at.reset_result', message: 'Result: -11', deviceMs: 3000, hostMs: at(3000), fields: { errno: -11, errnoName: 'EAGAIN' } });
  h.feed({ kind: 'esp_at.rst_sent', message: 'ESP_AT: sending RST CMD', deviceMs: 3000, hostMs: at(3000) + 1 });
  h.feed({ kind: 'esp_at.rst_sent', message: 'ESP_AT: sending RST CMD', deviceMs: 6000, hostMs: at(6000) });
  h.feed({ kind: 'esp_at.rst_sent', message: 'ESP_AT: sending RST CMD', deviceMs: 9000, hostMs: at(9000) });
  h.feed({ kind: 'esp_at.reset_failed', level: 'err', message: 'Failed to reset device: -116', deviceMs: 12001, hostMs: at(12001), fields: { errno: -116, errnoName: 'ETIMEDOUT' } });
  h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v4.1.0-1219-g584f2f86f905 ***', hostMs: at(12001) + 1, fields: { os: 'zephyr', version: 'v4.1.0-1219-g584f2f86f905' } });
  h.feed({ kind: 'zephyr.log', message: 'Hello in WiFi App!', deviceMs: 12001, hostMs: at(12001) + 2 });
  h.feed({ kind: 'wifi.connecting', message: 'Connecting to Wi-Fi network rpi3-hotspot...', deviceMs: 12001, hostMs: at(12001) + 3, fields: { ssid: 'rpi3-hotspot' } });
  h.feed({ kind: 'wifi.connect_failed', level: 'err', message: 'Failed to connect to Wi-Fi network: -115', deviceMs: 12001, hostMs: at(12001) + 4, fields: { errno: -115, errnoName: 'ENETDOWN' } });
  h.feed({ kind: 'dhcp.start', message: 'Run dhcpv4 client', deviceMs: 12001, hostMs: at(12001) + 5 });
}
