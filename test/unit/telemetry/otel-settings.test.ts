import { describe, expect, it } from 'vitest';
import { otelSchema } from '../../../daemon/config/sections/otel.ts';
import { prometheusSchema } from '../../../daemon/config/sections/prometheus.ts';
import { parseKeyValueList, resolveOtelSettings } from '../../../daemon/telemetry/otel-settings.ts';

describe('resolveOtelSettings', () => {
  it('defaults to OTLP/HTTP protobuf on 127.0.0.1:4318 with per-signal paths and service.name uartscope', () => {
    const s = resolveOtelSettings(otelSchema.parse({}), {});
    expect(s).toMatchObject({ protocol: 'http/protobuf', endpoint: 'http://127.0.0.1:4318', serviceName: 'uartscope' });
    expect(s.urls).toEqual({ traces: 'http://127.0.0.1:4318/v1/traces', logs: 'http://127.0.0.1:4318/v1/logs', metrics: 'http://127.0.0.1:4318/v1/metrics' });
  });

  it('takes endpoint, protocol, headers, resource attributes and service name from the OTEL_* variables', () => {
    const s = resolveOtelSettings(otelSchema.parse({}), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.lab:4317/',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-lab=7',
      OTEL_RESOURCE_ATTRIBUTES: 'bench=bench-7,host.name=pi-7',
      OTEL_SERVICE_NAME: 'uartscope-bench7',
    });
    expect(s).toMatchObject({ protocol: 'grpc', endpoint: 'http://collector.lab:4317', serviceName: 'uartscope-bench7' });
    expect(s.urls.traces).toBe('http://collector.lab:4317');
    expect(s.headers).toEqual({ authorization: 'Bearer abc', 'x-lab': '7' });
    expect(s.resourceAttributes).toEqual({ bench: 'bench-7', 'host.name': 'pi-7', 'service.name': 'uartscope-bench7' });
  });

  it('lets config keys win over the environment, and merges headers and attributes key by key', () => {
    const config = otelSchema.parse({
      endpoint: 'https://otlp.example:4318', protocol: 'http/json', service_name: 'from-config',
      headers: { 'x-lab': 'config' }, resource_attributes: { bench: 'bench-9' },
    });
    const s = resolveOtelSettings(config, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:1', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_SERVICE_NAME: 'ignored',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-lab=env,x-extra=1', OTEL_RESOURCE_ATTRIBUTES: 'bench=env,site=lab-2',
    });
    expect(s).toMatchObject({ protocol: 'http/json', endpoint: 'https://otlp.example:4318', serviceName: 'from-config' });
    expect(s.urls.logs).toBe('https://otlp.example:4318/v1/logs');
    expect(s.headers).toEqual({ 'x-lab': 'config', 'x-extra': '1' });
    expect(s.resourceAttributes).toEqual({ bench: 'bench-9', site: 'lab-2', 'service.name': 'from-config' });
  });

  it('ignores an unknown OTEL_EXPORTER_OTLP_PROTOCOL and uses gRPC port 4317 by default for grpc', () => {
    expect(resolveOtelSettings(otelSchema.parse({}), { OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }).protocol).toBe('http/protobuf');
    expect(resolveOtelSettings(otelSchema.parse({ protocol: 'grpc' }), {}).endpoint).toBe('http://127.0.0.1:4317');
  });
});

describe('parseKeyValueList', () => {
  it('decodes percent-encoded values, trims, and skips entries without a key or =', () => {
    expect(parseKeyValueList(' a = 1 ,b=x%2Cy,=nokey,novalue,c=50%')).toEqual({ a: '1', b: 'x,y', c: '50%' });
    expect(parseKeyValueList(undefined)).toEqual({});
  });
});

describe('otel and prometheus config sections', () => {
  it('reject unknown keys and bad values, naming the key', () => {
    const bad = otelSchema.safeParse({ enabled: true, protocol: 'udp', endpoints: 'x' });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.') || (i as { keys?: string[] }).keys?.join(','));
    expect(paths).toEqual(expect.arrayContaining(['protocol', 'endpoints']));
    expect(prometheusSchema.safeParse({ listen: '9464' }).error?.issues[0]?.path).toEqual(['listen']);
  });

  it('export nothing over the network by default, and serve /metrics on loopback only', () => {
    expect(otelSchema.parse(undefined).enabled).toBe(false);
    expect(prometheusSchema.parse(undefined)).toEqual({ enabled: true, listen: '127.0.0.1:9464', path: '/metrics' });
  });
});

describe('createOtelSink', () => {
  it('makes no sink when OTLP and Prometheus are both off, and one named otel otherwise', async () => {
    const { createOtelSink } = await import('../../../daemon/telemetry/otel-sink.ts');
    const off = { otel: otelSchema.parse({}), prometheus: prometheusSchema.parse({ enabled: false }), board: {} };
    expect(createOtelSink(off)).toBeUndefined();
    expect(createOtelSink({ ...off, prometheus: prometheusSchema.parse({ enabled: true }) })?.name).toBe('otel');
  });
});
