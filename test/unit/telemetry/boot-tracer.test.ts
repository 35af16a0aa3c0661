import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { Boot } from '../../../daemon/core/boot.ts';
import type { ParsedRecord } from '../../../daemon/core/parsed-record.ts';
import { BootTracer } from '../../../daemon/telemetry/boot-tracer.ts';

const T0 = 1_764_000_000_000_000;
const ms = (n: number): number => T0 + n * 1000;

function setup(maxBootUs = 600e6) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const connected: Array<[string, number]> = [];
  const tracer = new BootTracer(provider.getTracer('test'), { board: 'lpcxpresso55s69', maxBootUs, onConnected: (p, s) => connected.push([p, s]) });
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  return { tracer, spans, connected };
}

const boot = (id: string, start: number, over: Partial<Boot> = {}): Boot => ({
  id, port: 'console', index: 0, hostStart: start, firstSeq: 0, kind: 'zephyr', milestones: [], endReason: 'running', ...over,
});

let seq = 0;
function record(kind: string, at: number, fields: ParsedRecord['fields'] = {}, message = kind): ParsedRecord {
  const s = seq++;
  return {
    line: { port: 'console', seq: s, hostTime: at, bytes: new Uint8Array(), terminator: 'lf', text: message, nonTextBytes: 0, flags: { partial: false, truncated: false } },
    lastSeq: s, dialect: 'esp-at', kind, message, fields,
  };
}

describe('BootTracer', () => {
  it('ends the previous boot span when the port starts a new boot, at its last activity', () => {
    const { tracer, spans } = setup();
    tracer.onBoot(boot('b0', ms(0), { version: 'v4.1.0' }));
    tracer.onRecord(record('esp_at.reset_wait', ms(700)));
    tracer.onBoot(boot('b1', ms(5000), { index: 1 }));
    const root = spans().find((s) => s.name === 'boot')!;
    expect(root.attributes).toMatchObject({ 'boot.id': 'b0', 'firmware.version': 'v4.1.0', board: 'lpcxpresso55s69', 'boot.end_reason': 'reboot' });
    expect(root.endTime).toEqual([Math.floor(ms(700) / 1e6), (ms(700) % 1e6) * 1000]);
    // The open reset phase was closed with the boot, marked unfinished, with no status.
    const reset = spans().find((s) => s.name === 'esp.reset')!;
    expect(reset.attributes['phase.unfinished']).toBe(true);
    expect(reset.status.code).toBe(SpanStatusCode.UNSET);
    expect(tracer.current('console')?.id).toBe('b1');
  });

  it('makes one span per ESP-AT command, named by its verb, ERROR when the result is ERROR, FAIL or missing', () => {
    const { tracer, spans } = setup();
    tracer.onBoot(boot('b0', ms(0)));
    tracer.onRecord(record('esp-at.command', ms(10), { command: 'AT+CWJAP="ap","[redacted]"', result: 'FAIL', durationUs: 5000, errCode: 3 }));
    tracer.onRecord(record('esp-at.command', ms(20), { command: 'AT+CIPSTA?', result: 'OK', durationUs: 100 }));
    tracer.onRecord(record('esp-at.command', ms(30), { command: 'AT', result: 'none', durationUs: 1_000_000 }));
    const byName = new Map(spans().map((s) => [s.name, s]));
    expect(byName.get('esp-at AT+CWJAP')?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'AT+CWJAP → FAIL' });
    expect(byName.get('esp-at AT+CWJAP')?.attributes['esp_at.err_code']).toBe(3);
    expect(byName.get('esp-at AT+CIPSTA')?.status.code).toBe(SpanStatusCode.OK);
    expect(byName.get('esp-at AT')?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('reports the boot-to-connected time once per boot and closes the connect phase OK', () => {
    const { tracer, spans, connected } = setup();
    tracer.onBoot(boot('b0', ms(0)));
    tracer.onRecord(record('wifi.connecting', ms(1000), { ssid: 'lab' }));
    const ev = { id: 'e', kind: 'wifi.connected', severity: 'info' as const, port: 'console', boot: 'b0', hostTime: ms(3500), title: 'Connected', attrs: {}, lines: { port: 'console', first: 1, last: 1 } };
    tracer.onEvent(ev);
    tracer.onEvent({ ...ev, hostTime: ms(9000) });
    expect(connected).toEqual([['console', 3.5]]);
    expect(spans().find((s) => s.name === 'wifi.connect')?.status.code).toBe(SpanStatusCode.OK);
  });

  it('cuts a boot that outlives the bound so its span is exported', () => {
    const { tracer, spans } = setup(10e6);
    tracer.onBoot(boot('b0', ms(0)));
    tracer.tick(ms(9_999));
    expect(spans()).toHaveLength(0);
    tracer.tick(ms(10_000));
    expect(spans()[0]?.attributes).toMatchObject({ 'boot.span_truncated': true });
    expect(tracer.openCount()).toBe(0);
  });
});
