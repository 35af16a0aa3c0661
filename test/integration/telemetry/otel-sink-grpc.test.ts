import { describe, expect, it } from 'vitest';
import { hostClock } from '../../../daemon/core/host-time.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import { OtelSink } from '../../../daemon/telemetry/otel-sink.ts';
import { OtlpGrpcReceiver } from './otlp-grpc-receiver.ts';
import { TEST_PASSWORD, seedScenario } from './seed-boot-messages.ts';
import { stubRuntime } from './stub-runtime.ts';

describe('OtelSink over OTLP/gRPC', () => {
  it('exports boot traces, log records and metrics to a gRPC collector, password-free', async () => {
    const receiver = new OtlpGrpcReceiver();
    await receiver.start();
    // The endpoint comes from the standard environment variables here, as on a lab bench.
    const sink = new OtelSink({
      otel: { enabled: true, export_interval_ms: 20, metrics_interval_ms: 60_000 },
      env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_RESOURCE_ATTRIBUTES: 'bench=bench-grpc' },
    });
    try {
      const bus = new EventBus();
      await sink.start(bus, stubRuntime());
      expect(sink.settings?.protocol).toBe('grpc');
      const scenario = seedScenario(hostClock.now() - 60_000_000);
      for (const m of scenario.messages) bus.publish(m);
      await sink.stop();
      const got = receiver.received;
      const roots = got.spans.filter((s) => s.name === 'boot');
      expect(roots.map((s) => s.attributes['boot.id']).sort()).toEqual(['console#0', 'console#1', 'esp#0']);
      expect(roots[0]?.resource.bench).toBe('bench-grpc');
      expect(got.spans.find((s) => s.name === 'wifi.connect' && s.status.code === 2)).toBeDefined();
      expect(got.logs).toHaveLength(scenario.records);
      expect(got.points.find((p) => p.name === 'uartscope.clock.drift.ratio')?.value).toBe(0.125);
      expect(got.allBytes().includes(TEST_PASSWORD)).toBe(false);
    } finally {
      await sink.stop();
      await receiver.stop();
    }
  });
});
