import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostClock } from '../../../daemon/core/host-time.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import { OtelSink } from '../../../daemon/telemetry/otel-sink.ts';
import { OtlpReceiver, type ReceiverMode } from '../../helpers/otlp-receiver.ts';
import { stubRuntime } from './stub-runtime.ts';

const N = 5000;

/** One boot and N log records on it, as the framer and parsers would publish them. */
function burst(): BusMessage[] {
  const t0 = hostClock.now();
  const out: BusMessage[] = [
    { type: 'boot', boot: { id: 'console#0', port: 'console', index: 0, hostStart: t0, firstSeq: 0, kind: 'zephyr', milestones: [], endReason: 'running' } },
  ];
  for (let i = 0; i < N; i++) {
    const text = `[00:00:${String(i % 60).padStart(2, '0')}.000,000] <inf> app: sample ${i}`;
    out.push({
      type: 'record',
      record: {
        line: { port: 'console', seq: i, hostTime: t0 + i * 100, bytes: new TextEncoder().encode(text), terminator: 'lf', text, nonTextBytes: 0, flags: { partial: false, truncated: false } },
        lastSeq: i, dialect: 'zephyr', kind: 'zephyr.log', level: 'inf', module: 'app', message: `sample ${i}`, fields: {},
        deviceTime: { us: i * 100, source: 'log', resolutionUs: 1 },
      },
    });
  }
  return out;
}

describe('OtelSink when the collector misbehaves', () => {
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

  async function start(): Promise<EventBus> {
    sink = new OtelSink({
      otel: {
        enabled: true, protocol: 'http/protobuf', endpoint: receiver.url, export_queue_max_items: 64, export_batch_max_items: 16,
        export_interval_ms: 10, export_timeout_ms: 300, metrics_interval_ms: 60_000, stop_deadline_ms: 1000,
      },
      env: {},
    });
    const bus = new EventBus();
    await sink.start(bus, stubRuntime());
    return bus;
  }

  const cases: Array<{ title: string; setup: () => Promise<void>; reason: string }> = [
    { title: 'stopped (connection refused)', setup: () => receiver.stop(), reason: 'logs.export_failed' },
    { title: 'answering 500', setup: async () => { receiver.mode = { kind: 'status', status: 500 } satisfies ReceiverMode; }, reason: 'logs.export_failed' },
    { title: 'too slow to answer', setup: async () => { receiver.mode = { kind: 'slow', delayMs: 60_000 } satisfies ReceiverMode; }, reason: 'logs.export_failed' },
  ];

  it.each(cases)('keeps taking every bus message and counts the telemetry it drops when the receiver is $title', async ({ setup, reason }) => {
    const bus = await start();
    await setup();
    const messages = burst();
    for (const m of messages) bus.publish(m); // synchronous: returns only after the sink's push
    const ingest = sink!.exportStats().otel!;
    expect(ingest.received).toBe(messages.length);
    expect(ingest.dropped).toBe(0);

    // Ingestion finishes while the exports are still failing or hanging: it never waited for them.
    await sink!.flush(400);
    expect(sink!.exportStats().otel!.delivered).toBe(messages.length);
    await sink!.flush(1500);
    const stats = sink!.stats();
    const logs = sink!.exportStats()['otel.logs']!;
    expect(logs.received).toBe(N);
    expect(logs.droppedBy.queue_full).toBeGreaterThan(0);
    expect(stats.droppedBy['logs.queue_full']).toBe(logs.droppedBy.queue_full);
    expect(stats.droppedBy[reason]).toBeGreaterThan(0);
    expect(logs.delivered).toBe(0);
    expect(stats.dropped).toBeGreaterThanOrEqual(logs.droppedBy.queue_full! + stats.droppedBy[reason]!);
  });

  it('exports again once a stopped receiver comes back', async () => {
    const bus = await start();
    await receiver.stop();
    const messages = burst();
    for (const m of messages.slice(0, 100)) bus.publish(m);
    await sink!.flush(1500);
    expect(sink!.exportStats()['otel.logs']!.droppedBy.export_failed).toBeGreaterThan(0);
    await receiver.start();
    for (const m of messages.slice(100, 120)) bus.publish(m);
    await sink!.flush(3000);
    expect(receiver.logs.map((l) => l.body)).toEqual(expect.arrayContaining(['sample 118']));
    expect(sink!.exportStats()['otel.logs']!.delivered).toBeGreaterThan(0);
  });

  it('ends and exports a boot span that never finishes once the configured bound has passed', async () => {
    sink = new OtelSink({ otel: { enabled: true, protocol: 'http/json', endpoint: receiver.url, boot_span_max_s: 1, export_interval_ms: 10, logs: false, metrics: false }, env: {} });
    const bus = new EventBus();
    await sink.start(bus, stubRuntime());
    bus.publish({ type: 'boot', boot: { id: 'hung#0', port: 'hung', index: 0, hostStart: hostClock.now(), firstSeq: 0, kind: 'zephyr', milestones: [], endReason: 'running' } });
    for (let i = 0; i < 100 && !receiver.spans.some((s) => s.name === 'boot'); i++) await new Promise((r) => setTimeout(r, 100));
    const root = receiver.spans.find((s) => s.name === 'boot');
    expect(root?.attributes).toMatchObject({ 'boot.id': 'hung#0', 'boot.span_truncated': true, 'boot.end_reason': 'running' });
  });
});
