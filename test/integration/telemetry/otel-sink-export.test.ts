import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostClock } from '../../../daemon/core/host-time.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import { OtelSink } from '../../../daemon/telemetry/otel-sink.ts';
import { OtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver.ts';
import { BOARD, TEST_PASSWORD, seedScenario } from './seed-boot-messages.ts';
import { stubRuntime } from './stub-runtime.ts';

const us2ns = (us: number): bigint => BigInt(us) * 1000n;

describe.each(['http/json', 'http/protobuf'] as const)('OtelSink over OTLP %s', (protocol) => {
  let receiver: OtlpReceiver;
  let sink: OtelSink | undefined;

  beforeEach(async () => {
    receiver = new OtlpReceiver();
    await receiver.start();
  });
  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
    await receiver.stop();
  });

  async function runSeed(): Promise<ReturnType<typeof seedScenario>> {
    sink = new OtelSink({
      otel: { enabled: true, protocol, endpoint: receiver.url, export_interval_ms: 20, metrics_interval_ms: 60_000, resource_attributes: { bench: 'bench-7' } },
      board: BOARD,
      env: {},
    });
    const bus = new EventBus();
    await sink.start(bus, stubRuntime());
    const scenario = seedScenario(hostClock.now() - 60_000_000);
    for (const m of scenario.messages) bus.publish(m);
    await sink.stop(); // ends the open boot, flushes spans and logs, pushes metrics once more
    return scenario;
  }

  it('exports one trace per boot with the phases as child spans, failures as ERROR and faults as span events', async () => {
    await runSeed();
    const roots = receiver.spans.filter((s) => s.name === 'boot');
    const first = roots.find((s) => s.attributes['boot.id'] === 'console#0');
    const second = roots.find((s) => s.attributes['boot.id'] === 'console#1');
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    const b0 = first!;
    expect(b0.parentSpanId).toBe('');
    expect(b0.attributes).toMatchObject({ 'serial.port': 'console', 'firmware.version': 'v4.1.0', board: BOARD, 'boot.end_reason': 'fault' });
    expect(b0.status.code).toBe(2);
    expect(b0.resource).toMatchObject({ 'service.name': 'uartscope', bench: 'bench-7' });
    expect(b0.events.map((e) => e.name)).toEqual(expect.arrayContaining(['esp.reset_failed', 'wifi.connect_failed', 'clock.drift', 'fault']));
    expect(b0.events.find((e) => e.name === 'clock.drift')?.attributes).toMatchObject({ 'event.ratio': 0.125, 'event.state': 'raised' });

    const children = (root: ReceivedSpan): ReceivedSpan[] => receiver.spans.filter((s) => s.traceId === root.traceId && s.parentSpanId === root.spanId);
    const byName = new Map(children(b0).map((s) => [s.name, s]));
    const reset = byName.get('esp.reset');
    expect(reset?.status.code).toBe(2);
    expect(reset?.attributes['esp.reset.attempts']).toBe(3);
    expect(reset?.events.filter((e) => e.name === 'AT+RST sent')).toHaveLength(3);
    const connect = byName.get('wifi.connect');
    expect(connect?.status).toMatchObject({ code: 2, message: 'Wi-Fi connect failed: -115 ENETDOWN' });
    expect(connect?.attributes['event.errnoName']).toBe('ENETDOWN');
    expect(byName.get('milestone app.ready')?.status.code).toBe(1);

    const b1 = second!;
    expect(b1.traceId).not.toBe(b0.traceId);
    expect(b1.status.code).toBe(0);
    const phases1 = new Map(children(b1).map((s) => [s.name, s]));
    expect(phases1.get('wifi.connect')?.status.code).toBe(1);
    expect(phases1.get('dhcp')?.attributes['event.ip']).toBe('192.0.2.17');
    expect(phases1.get('dhcp')?.status.code).toBe(1);

    const esp = roots.find((s) => s.attributes['boot.id'] === 'esp#0')!;
    const commands = children(esp);
    const cwjap = commands.find((s) => s.name === 'esp-at AT+CWJAP');
    expect(cwjap?.attributes).toMatchObject({ 'esp_at.command': 'AT+CWJAP="lab-ap","[redacted]"', 'esp_at.result': 'FAIL', 'esp_at.duration_us': 3_000_000 });
    expect(cwjap?.status.code).toBe(2);
    expect(cwjap!.endNs - cwjap!.startNs).toBe(3_000_000_000n);
    expect(commands.find((s) => s.name === 'esp-at AT+CWMODE')?.status.code).toBe(1);
  });

  it('exports every record as a log record with host and drift-corrected device timestamps, linked to its boot span', async () => {
    const scenario = await runSeed();
    expect(receiver.logs).toHaveLength(scenario.records);
    const b0 = receiver.spans.find((s) => s.name === 'boot' && s.attributes['boot.id'] === 'console#0')!;

    const late = receiver.logs.find((l) => l.body === 'interface down')!;
    expect(late).toMatchObject({ severityNumber: 17, severityText: 'ERROR', traceId: b0.traceId, spanId: b0.spanId });
    expect(late.attributes).toMatchObject({ 'serial.port': 'console', 'zephyr.module': 'net_mgmt', 'device.uptime_us': scenario.lateLine.deviceUs, 'boot.id': 'console#0' });
    expect(late.observedNs).toBe(us2ns(scenario.lateLine.hostTime));
    expect(late.timeNs).toBe(us2ns(scenario.lateLine.expectedTimestamp));
    expect(late.timeNs).toBeLessThan(late.observedNs);

    // Before any trusted fit the device time cannot be mapped: timestamp = host time.
    const early = receiver.logs.find((l) => l.observedNs === us2ns(scenario.earlyHostTime))!;
    expect(early).toMatchObject({ severityNumber: 9, severityText: 'INFO' });
    expect(early.timeNs).toBe(early.observedNs);
    const levels = new Set(receiver.logs.map((l) => `${l.severityNumber}/${l.severityText}`));
    expect(levels).toEqual(new Set(['0/', '5/DEBUG', '9/INFO', '17/ERROR']));
  });

  it('exports line, failure, drift and boot-duration metrics with their values', async () => {
    await runSeed();
    const point = (name: string, attrs: Record<string, unknown> = {}) =>
      receiver.points.filter((p) => p.name === name && Object.entries(attrs).every(([k, v]) => p.attributes[k] === v)).at(-1);
    expect(point('uartscope.lines', { port: 'console', level: 'err' })?.value).toBe(4);
    expect(point('uartscope.lines', { port: 'esp', level: 'err' })?.value).toBe(1);
    expect(point('uartscope.bytes', { port: 'console', level: 'err' })?.value).toBeGreaterThan(0);
    expect(point('uartscope.resets', { port: 'console' })?.value).toBe(1);
    expect(point('uartscope.faults', { port: 'console', kind: 'fault' })?.value).toBe(1);
    expect(point('uartscope.esp.reset_failures', { port: 'console' })?.value).toBe(1);
    expect(point('uartscope.wifi.connect_failures', { port: 'console', errno: 'ENETDOWN' })?.value).toBe(1);
    expect(point('uartscope.sink.dropped', { sink: 'otel', reason: 'queue_full' })?.value).toBe(0);
    const hist = point('uartscope.boot.connect_duration_seconds', { port: 'console' });
    expect(hist).toMatchObject({ type: 'histogram', count: 1, sum: 3 });
  });

  it('never exports the Wi-Fi password, not even from a record that escaped redaction', async () => {
    await runSeed();
    expect(receiver.requests.length).toBeGreaterThan(0);
    const bytes = receiver.allBytes();
    expect(bytes.includes(TEST_PASSWORD)).toBe(false);
    expect(bytes.includes('[redacted]')).toBe(true);
  });
});

describe('OtelSink drift gauges', () => {
  it('reports the latest trusted drift ratio and ppm per port and source, replaced by a newer fit', async () => {
    const receiver = new OtlpReceiver();
    await receiver.start();
    const sink = new OtelSink({ otel: { enabled: true, protocol: 'http/json', endpoint: receiver.url, traces: false, logs: false, metrics_interval_ms: 60_000 }, env: {} });
    try {
      const bus = new EventBus();
      await sink.start(bus, stubRuntime());
      const s = seedScenario(hostClock.now() - 60_000_000);
      const upToFault = s.messages.findIndex((m) => m.type === 'boot' && m.boot.id === 'console#1');
      for (const m of s.messages.slice(0, upToFault)) bus.publish(m);
      await sink.flush(5000);
      const ratio = receiver.points.filter((p) => p.name === 'uartscope.clock.drift.ratio');
      expect(ratio.at(-1)).toMatchObject({ type: 'gauge', value: 0.125, attributes: { port: 'console', source: 'log' } });
      expect(receiver.points.filter((p) => p.name === 'uartscope.clock.drift.ppm').at(-1)?.value).toBe(-875_000);
      expect(receiver.spans).toHaveLength(0);
      expect(receiver.logs).toHaveLength(0);
      for (const m of s.messages.slice(upToFault)) bus.publish(m);
      const fit = { port: 'console', boot: 'console#1', source: 'log' as const, ratio: 1.0001, ppm: 100, uncertaintyPpm: 20, samples: 50, spanS: 60, verdict: 'ok' as const };
      bus.publish({ type: 'drift', fit: { ...fit, ratio: 0.5, ppm: -500_000, verdict: 'insufficient' } });
      bus.publish({ type: 'drift', fit });
      const before = receiver.points.length;
      await sink.flush(5000);
      const after = receiver.points.slice(before);
      expect(after.some((p) => p.name === 'uartscope.lines')).toBe(true);
      expect(after.filter((p) => p.name === 'uartscope.clock.drift.ratio').map((p) => p.value)).toEqual([1.0001]);
      expect(after.filter((p) => p.name === 'uartscope.clock.drift.ppm').map((p) => p.value)).toEqual([100]);
    } finally {
      await sink.stop();
      await receiver.stop();
    }
  });
});
