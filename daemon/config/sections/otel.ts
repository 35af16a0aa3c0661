import { z } from 'zod';

/**
 * OpenTelemetry export (daemon/telemetry/otel-sink.ts). Keys left unset fall back to the
 * standard environment variables of the OTLP exporter spec (OTEL_EXPORTER_OTLP_ENDPOINT,
 * _HEADERS, _PROTOCOL, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME), then to the defaults
 * below: "user value, then env, then default" as opentelemetry-js does it (style.md §4).
 */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export const otelSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Export traces (one per boot), logs (one per record) and metrics over OTLP'),
    endpoint: z
      .url()
      .optional()
      .describe(
        'OTLP base URL; `/v1/traces`, `/v1/logs`, `/v1/metrics` are appended for HTTP. Unset: OTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4318 (HTTP) or http://127.0.0.1:4317 (gRPC)',
      ),
    protocol: z
      .enum(OTLP_PROTOCOLS)
      .optional()
      .describe('OTLP transport. Unset: OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf'),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Extra request headers (authentication to a collector). Merged over OTEL_EXPORTER_OTLP_HEADERS'),
    service_name: z
      .string()
      .min(1)
      .optional()
      .describe('service.name resource attribute. Unset: OTEL_SERVICE_NAME, else `uartscope`'),
    resource_attributes: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Resource attributes on every signal, merged over OTEL_RESOURCE_ATTRIBUTES. Set `bench` (and host.name) so a lab backend tells the daemons apart',
      ),
    traces: z.boolean().default(true).describe('Export the boot traces'),
    logs: z.boolean().default(true).describe('Export every record as a log record'),
    metrics: z.boolean().default(true).describe('Export metrics over OTLP (Prometheus scraping is configured under `prometheus`)'),
    ingest_queue_max_messages: z
      .number()
      .int()
      .min(16)
      .default(16_384)
      .describe('Bus messages waiting to be turned into telemetry; when full the newest are dropped and counted (never blocks the bus)'),
    export_queue_max_items: z
      .number()
      .int()
      .min(16)
      .default(4096)
      .describe('Finished spans, and log records, each waiting for the exporter; when full the newest are dropped and counted'),
    export_batch_max_items: z.number().int().min(1).default(512).describe('Items per OTLP export request at most'),
    export_concurrency: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(2)
      .describe('OTLP export requests in flight per signal at most; beyond that items wait in the export queue'),
    export_interval_ms: z
      .number()
      .int()
      .min(10)
      .default(1000)
      .describe('Pause after an export of a batch that was not full, so the next batch fills (ms)'),
    export_timeout_ms: z
      .number()
      .int()
      .min(100)
      .default(10_000)
      .describe('Deadline of one export including the exporter\'s own retries of 429/502/503/504 and refused connections (ms)'),
    metrics_interval_ms: z.number().int().min(100).default(10_000).describe('How often metrics are pushed over OTLP (ms)'),
    boot_span_max_s: z
      .number()
      .min(1)
      .default(600)
      .describe('A boot trace whose boot has not ended after this long is ended anyway, so its span is always exported (s)'),
    stop_deadline_ms: z
      .number()
      .int()
      .min(0)
      .default(5000)
      .describe('On shutdown, how long to wait for queued telemetry to be exported before it is dropped (ms)'),
  })
  .prefault({})
  .describe('OpenTelemetry (OTLP) export of traces, logs and metrics');

export type OtelConfig = z.infer<typeof otelSchema>;
