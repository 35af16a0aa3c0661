import { z } from 'zod';

/**
 * The Prometheus scrape endpoint (`/metrics`, served by @opentelemetry/exporter-prometheus).
 * 9464 is Prometheus' registered default port for the OpenTelemetry exporter
 * (prometheus/prometheus wiki "Default port allocations"); loopback only unless asked.
 */
export const prometheusSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve metrics for Prometheus to scrape (a port already in use is reported and the daemon runs on without it)'),
    listen: z
      .string()
      .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9464')
      .default('127.0.0.1:9464')
      .describe('host:port of the /metrics endpoint; 0.0.0.0:9464 exposes it beyond this machine'),
    path: z.string().startsWith('/').default('/metrics').describe('HTTP path of the metrics'),
  })
  .prefault({})
  .describe('Prometheus /metrics endpoint');

export type PrometheusConfig = z.infer<typeof prometheusSchema>;
