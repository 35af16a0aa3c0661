import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtelSettings } from './otel-settings.ts';

export interface OtlpExporters {
  readonly traces: SpanExporter;
  readonly logs: LogRecordExporter;
  readonly metrics: PushMetricExporter;
}

/**
 * The three OTLP exporters for one protocol. Loaded on demand: the gRPC ones pull in
 * @grpc/grpc-js, which a daemon exporting over HTTP never needs. Each exporter retries
 * 429/502/503/504 and refused/reset connections with jittered backoff within its timeout
 * (otlp-exporter-base retrying-transport.ts, is-export-retryable.ts); other answers such as
 * 500 are not retryable under the OTLP/HTTP spec and fail the batch, which the export queue counts.
 */
export async function createOtlpExporters(settings: OtelSettings, timeoutMillis: number, concurrencyLimit: number): Promise<OtlpExporters> {
  // Limiting exports in flight is the export queue's job; the exporter's own cap only backs it up.
  const base = { timeoutMillis, concurrencyLimit };
  const headers = { ...settings.headers };
  switch (settings.protocol) {
    case 'http/json': {
      const [t, l, m] = await Promise.all([
        import('@opentelemetry/exporter-trace-otlp-http'),
        import('@opentelemetry/exporter-logs-otlp-http'),
        import('@opentelemetry/exporter-metrics-otlp-http'),
      ]);
      return {
        traces: new t.OTLPTraceExporter({ ...base, headers, url: settings.urls.traces }),
        logs: new l.OTLPLogExporter({ ...base, headers, url: settings.urls.logs }),
        metrics: new m.OTLPMetricExporter({ ...base, headers, url: settings.urls.metrics }),
      };
    }
    case 'http/protobuf': {
      const [t, l, m] = await Promise.all([
        import('@opentelemetry/exporter-trace-otlp-proto'),
        import('@opentelemetry/exporter-logs-otlp-proto'),
        import('@opentelemetry/exporter-metrics-otlp-proto'),
      ]);
      return {
        traces: new t.OTLPTraceExporter({ ...base, headers, url: settings.urls.traces }),
        logs: new l.OTLPLogExporter({ ...base, headers, url: settings.urls.logs }),
        metrics: new m.OTLPMetricExporter({ ...base, headers, url: settings.urls.metrics }),
      };
    }
    case 'grpc': {
      // @grpc/grpc-js comes with the gRPC exporters (their dependency), only for Metadata here.
      const [t, l, m, grpc] = await Promise.all([
        import('@opentelemetry/exporter-trace-otlp-grpc'),
        import('@opentelemetry/exporter-logs-otlp-grpc'),
        import('@opentelemetry/exporter-metrics-otlp-grpc'),
        import('@grpc/grpc-js'),
      ]);
      const metadata = (): InstanceType<typeof grpc.Metadata> => {
        const md = new grpc.Metadata();
        for (const [k, v] of Object.entries(headers)) md.set(k.toLowerCase(), v);
        return md;
      };
      const insecure = settings.endpoint.startsWith('http://');
      const credentials = insecure ? grpc.credentials.createInsecure() : grpc.credentials.createSsl();
      return {
        traces: new t.OTLPTraceExporter({ ...base, url: settings.urls.traces, metadata: metadata(), credentials }),
        logs: new l.OTLPLogExporter({ ...base, url: settings.urls.logs, metadata: metadata(), credentials }),
        metrics: new m.OTLPMetricExporter({ ...base, url: settings.urls.metrics, metadata: metadata(), credentials }),
      };
    }
  }
}
