import type { OtelConfig, OtlpProtocol } from '../config/sections/otel.ts';
import { OTLP_PROTOCOLS } from '../config/sections/otel.ts';

/** What the exporters are built from: config, then the OTEL_* environment, then defaults. */
export interface OtelSettings {
  readonly protocol: OtlpProtocol;
  /** Base URL without a trailing slash. */
  readonly endpoint: string;
  readonly urls: { readonly traces: string; readonly logs: string; readonly metrics: string };
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
}

/**
 * `k1=v1,k2=v2` with percent-encoded values: the format of OTEL_EXPORTER_OTLP_HEADERS and
 * OTEL_RESOURCE_ATTRIBUTES (opentelemetry-specification, sdk-environment-variables.md and
 * resource/sdk.md "Specifying resource information via an environment variable"). An entry
 * without `=` is skipped, as the spec lets an SDK do.
 */
export function parseKeyValueList(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!key) continue;
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // A stray `%` is kept literally rather than losing the whole variable.
    }
    out[key] = value;
  }
  return out;
}

function envProtocol(value: string | undefined): OtlpProtocol | undefined {
  const v = value?.trim().toLowerCase();
  return (OTLP_PROTOCOLS as readonly string[]).includes(v ?? '') ? (v as OtlpProtocol) : undefined;
}

export function resolveOtelSettings(config: OtelConfig, env: NodeJS.ProcessEnv = process.env): OtelSettings {
  const protocol = config.protocol ?? envProtocol(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf';
  // 4318 is OTLP/HTTP, 4317 OTLP/gRPC (opentelemetry-specification, protocol/exporter.md).
  const fallback = protocol === 'grpc' ? 'http://127.0.0.1:4317' : 'http://127.0.0.1:4318';
  const endpoint = (config.endpoint ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || fallback)).replace(/\/+$/, '');
  // For HTTP the base endpoint gets the per-signal path appended; gRPC uses it as is.
  const url = (signal: string): string => (protocol === 'grpc' ? endpoint : `${endpoint}/v1/${signal}`);
  const envAttributes = parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES);
  const serviceName = config.service_name ?? (env.OTEL_SERVICE_NAME?.trim() || envAttributes['service.name'] || 'uartscope');
  return {
    protocol,
    endpoint,
    urls: { traces: url('traces'), logs: url('logs'), metrics: url('metrics') },
    headers: { ...parseKeyValueList(env.OTEL_EXPORTER_OTLP_HEADERS), ...(config.headers ?? {}) },
    serviceName,
    resourceAttributes: { ...envAttributes, ...config.resource_attributes, 'service.name': serviceName },
  };
}
