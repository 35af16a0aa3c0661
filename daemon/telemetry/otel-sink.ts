import { hostname } from 'node:os';
import type { Subscription } from 'rxjs';
import { isSpanContextValid, trace, type Context, type SpanContext, type Tracer } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Config } from '../config/schema.ts';
import type { OtelConfig } from '../config/sections/otel.ts';
import { otelSchema } from '../config/sections/otel.ts';
import type { PrometheusConfig } from '../config/sections/prometheus.ts';
import { prometheusSchema } from '../config/sections/prometheus.ts';
import { hostClock, type HostTime } from '../core/host-time.ts';
import type { Level, ParsedRecord } from '../core/parsed-record.ts';
import { BoundedQueue, type QueueStats } from '../pipeline/bounded-queue.ts';
import type { BusMessage } from '../pipeline/bus-message.ts';
import type { EventBus } from '../pipeline/event-bus.ts';
import type { Runtime } from '../pipeline/runtime.ts';
import type { Sink } from '../pipeline/sink.ts';
import { redactSecrets } from '../../parsers/redact.ts';
import { BootTracer } from './boot-tracer.ts';
import { CountingMetricExporter } from './counting-metric-exporter.ts';
import { DeviceTimeMapper } from './device-time-mapper.ts';
import { ExportQueue, withDeadline } from './export-queue.ts';
import { resolveOtelSettings, type OtelSettings } from './otel-settings.ts';
import { hostTimeToHrTime } from './otel-time.ts';
import { createOtlpExporters } from './otlp-exporters.ts';
import { QueuedSpanProcessor } from './queued-span-processor.ts';
import { UartscopeMetrics } from './uartscope-metrics.ts';
import type { Mutable } from '../core/mutable.ts';

export interface OtelSinkOptions {
  /** The `otel` config section (parsed); defaults when omitted. */
  readonly otel?: Partial<OtelConfig>;
  /** The `prometheus` config section (parsed); no Prometheus endpoint when omitted. */
  readonly prometheus?: Partial<PrometheusConfig>;
  /** Board name for the boot span (`board` attribute), e.g. `lpcxpresso55s69`. */
  readonly board?: string;
  readonly serviceVersion?: string;
  /** Where OTEL_* variables are read from (tests pass their own). */
  readonly env?: NodeJS.ProcessEnv;
}

/** OTel severity per Zephyr level (logs data model: ERROR 17, WARN 13, INFO 9, DEBUG 5). */
const SEVERITY: Record<Level, { readonly number: SeverityNumber; readonly text: string }> = {
  err: { number: SeverityNumber.ERROR, text: 'ERROR' },
  wrn: { number: SeverityNumber.WARN, text: 'WARN' },
  inf: { number: SeverityNumber.INFO, text: 'INFO' },
  dbg: { number: SeverityNumber.DEBUG, text: 'DEBUG' },
};

/**
 * OpenTelemetry traces, logs and metrics, and the Prometheus `/metrics` endpoint (issue 6).
 *
 * The bus subscriber only pushes into a bounded queue (drop newest when full, counted), so
 * publishing never waits on telemetry. The queue's consumer turns messages into SDK calls:
 * one trace per boot ({@link BootTracer}), one log record per record, metric updates
 * ({@link UartscopeMetrics}). Finished spans and log records go to a second bounded queue per
 * signal ({@link ExportQueue}) with a bounded number of exports in flight, so a down, slow or failing collector
 * costs dropped telemetry, counted in `stats()` and in `uartscope_sink_dropped_total`, and
 * never ingestion speed.
 */
export class OtelSink implements Sink {
  readonly name = 'otel';
  readonly #otel: OtelConfig;
  readonly #prometheus: PrometheusConfig;
  readonly #options: OtelSinkOptions;
  readonly #ingest: BoundedQueue<BusMessage>;
  readonly #mapper = new DeviceTimeMapper();
  #settings: OtelSettings | undefined;
  #subscription: Subscription | undefined;
  #runtime: Runtime | undefined;
  #tracerProvider: TracerProvider | undefined;
  #meterProvider: MeterProvider | undefined;
  #spanQueue: ExportQueue<ReadableSpan> | undefined;
  #logQueue: ExportQueue<ReadableLogRecord> | undefined;
  #metricExporter: CountingMetricExporter | undefined;
  #metricReader: PeriodicExportingMetricReader | undefined;
  #prometheusExporter: PrometheusExporter | undefined;
  #boots: BootTracer | undefined;
  #metrics: UartscopeMetrics | undefined;
  /** What every log record shares: the resource and the instrumentation scope (one object, as the SDK keeps it). */
  #logShared: Pick<ReadableLogRecord, 'resource' | 'instrumentationScope'> | undefined;
  /** The span context of each boot's root span, looked up once per boot rather than per record. */
  readonly #bootSpans = new WeakMap<Context, SpanContext | null>();
  #tick: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: OtelSinkOptions = {}) {
    this.#options = options;
    this.#otel = otelSchema.parse(options.otel ?? {});
    // Omitted means "no endpoint" (the config's own default is on; createOtelSink passes it).
    this.#prometheus = prometheusSchema.parse(options.prometheus ?? { enabled: false });
    this.#ingest = new BoundedQueue<BusMessage>('otel', this.#otel.ingest_queue_max_messages, (batch) => this.#process(batch), 1024);
  }

  /** The effective exporter settings (after OTEL_* env), known once started. */
  get settings(): OtelSettings | undefined {
    return this.#settings;
  }

  async start(bus: EventBus, runtime: Runtime): Promise<void> {
    this.#runtime = runtime;
    const settings = resolveOtelSettings(this.#otel, this.#options.env ?? process.env);
    this.#settings = settings;
    const resource = this.#resource(settings);
    const otlp = this.#otel.enabled ? await createOtlpExporters(settings, this.#otel.export_timeout_ms, this.#otel.export_concurrency) : undefined;
    const deadline = this.#otel.stop_deadline_ms;
    const queueOptions = {
      capacity: this.#otel.export_queue_max_items,
      maxBatch: this.#otel.export_batch_max_items,
      intervalMs: this.#otel.export_interval_ms,
      timeoutMs: this.#otel.export_timeout_ms,
      concurrency: this.#otel.export_concurrency,
    };

    // Traces: without an exporter the boot tracer still runs (logs need the boot context) on
    // non-recording spans, which cost next to nothing.
    if (otlp && this.#otel.traces) {
      this.#spanQueue = new ExportQueue<ReadableSpan>('otel.traces', otlp.traces, queueOptions);
      this.#tracerProvider = new TracerProvider({ resource, spanProcessors: [new QueuedSpanProcessor(this.#spanQueue, deadline)] });
    } else {
      this.#tracerProvider = new TracerProvider({ resource, sampler: new AlwaysOffSampler() });
    }
    const tracer: Tracer = this.#tracerProvider.getTracer('uartscope', this.#options.serviceVersion);

    if (otlp && this.#otel.logs) {
      this.#logQueue = new ExportQueue<ReadableLogRecord>('otel.logs', otlp.logs, queueOptions);
      this.#logShared = { resource, instrumentationScope: { name: 'uartscope', ...(this.#options.serviceVersion ? { version: this.#options.serviceVersion } : {}) } };
    }

    const readers: MetricReader[] = [];
    if (otlp && this.#otel.metrics) {
      this.#metricExporter = new CountingMetricExporter(otlp.metrics);
      this.#metricReader = new PeriodicExportingMetricReader({
        exporter: this.#metricExporter,
        exportIntervalMillis: this.#otel.metrics_interval_ms,
        exportTimeoutMillis: Math.min(this.#otel.export_timeout_ms, this.#otel.metrics_interval_ms),
      });
      readers.push(this.#metricReader);
    }
    if (this.#prometheus.enabled) {
      const { host, port } = splitListen(this.#prometheus.listen);
      // preventServerStart + startServer(): a port in use becomes an error of start(), not an
      // unhandled one inside the exporter's constructor.
      // The `bench` resource attribute becomes a label on every series, so one Prometheus can
      // scrape a lab of daemons and still tell the benches apart (deploy/README.md).
      this.#prometheusExporter = new PrometheusExporter({
        host, port, endpoint: this.#prometheus.path, preventServerStart: true, withResourceConstantLabels: /^bench$/,
      });
      readers.push(this.#prometheusExporter);
    }
    this.#meterProvider = new MeterProvider({ resource, readers });
    if (this.#prometheusExporter) {
      try {
        await this.#prometheusExporter.startServer();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.#meterProvider.shutdown().catch(() => undefined);
        throw new Error(`"prometheus.listen" ${this.#prometheus.listen}: cannot listen (${reason})`, { cause: error });
      }
    }
    this.#metrics = new UartscopeMetrics(this.#meterProvider.getMeter('uartscope', this.#options.serviceVersion), {
      queues: () => ({ ...(this.#runtime?.stages() ?? {}), ...this.exportStats() }),
    });
    this.#boots = new BootTracer(tracer, {
      board: this.#options.board ?? settings.resourceAttributes.board,
      maxBootUs: this.#otel.boot_span_max_s * 1e6,
      onConnected: (port, seconds) => this.#metrics?.onConnected(port, seconds),
    });
    this.#tick = setInterval(() => this.#boots?.tick(hostClock.now()), Math.min(1000, this.#otel.boot_span_max_s * 500));
    this.#tick.unref();
    this.#subscription = bus.messages$.subscribe((message) => {
      // Lines are counted from their records, and statuses and alerts are not telemetry (#process):
      // queueing them only to skip them later was half of this queue's traffic.
      if (message.type === 'line' || message.type === 'status' || message.type === 'alert') return;
      this.#ingest.push(message);
    });
  }

  /** Counters of the ingest queue, with every export queue's drops folded in. */
  stats(): QueueStats {
    const s = this.#ingest.stats;
    const droppedBy: Record<string, number> = { ...s.droppedBy };
    let dropped = s.dropped;
    let errors = s.errors;
    for (const [name, q] of Object.entries(this.exportStats())) {
      if (name === 'otel') continue;
      const signal = name.replace(/^otel\./, '');
      for (const [reason, n] of Object.entries(q.droppedBy)) droppedBy[`${signal}.${reason}`] = n;
      dropped += q.dropped;
      errors += q.errors;
    }
    return { ...s, dropped, droppedBy, errors, depth: this.#ingest.depth };
  }

  /** Per queue: `otel` (ingest), `otel.traces`, `otel.logs` (items), `otel.metrics` (pushes). */
  exportStats(): Record<string, QueueStats> {
    const out: Record<string, QueueStats> = { otel: { ...this.#ingest.stats, droppedBy: { ...this.#ingest.stats.droppedBy } } };
    if (this.#spanQueue) out['otel.traces'] = this.#spanQueue.stats();
    if (this.#logQueue) out['otel.logs'] = this.#logQueue.stats();
    const m = this.#metricExporter;
    if (m) {
      out['otel.metrics'] = {
        received: m.exports, delivered: m.exports - m.failures, dropped: m.failures,
        droppedBy: m.failures ? { export_failed: m.failures } : {}, errors: m.failures, depth: 0, capacity: 1,
      };
    }
    return out;
  }

  /** Processes what is queued and exports it now (tests, and `stop`). */
  async flush(deadlineMs = this.#otel.stop_deadline_ms): Promise<boolean> {
    const started = Date.now();
    const left = (): number => Math.max(1, deadlineMs - (Date.now() - started));
    let ok = await withDeadline(this.#ingest.drained(), left());
    const flushes: Promise<unknown>[] = [];
    if (this.#spanQueue) flushes.push(this.#spanQueue.flush(left()));
    if (this.#logQueue) flushes.push(this.#logQueue.flush(left()));
    if (this.#metricReader) flushes.push(this.#metricReader.forceFlush({ timeoutMillis: left() }).catch(() => undefined));
    ok = (await withDeadline(Promise.all(flushes), left())) && ok;
    return ok;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#subscription?.unsubscribe();
    if (this.#tick) clearInterval(this.#tick);
    const deadline = this.#otel.stop_deadline_ms;
    const started = Date.now();
    const left = (): number => Math.max(100, deadline - (Date.now() - started));
    await withDeadline(this.#ingest.close(), left());
    this.#boots?.endAll(hostClock.now());
    await Promise.all([
      withDeadline(this.#tracerProvider?.shutdown() ?? Promise.resolve(), left() + 500),
      withDeadline(this.#logQueue?.shutdown(left()) ?? Promise.resolve(), left() + 500),
      withDeadline(this.#meterProvider?.shutdown({ timeoutMillis: left() }) ?? Promise.resolve(), left() + 500),
    ]);
  }

  #resource(settings: OtelSettings): Resource {
    const attrs: Record<string, string> = { 'host.name': hostname(), ...settings.resourceAttributes };
    if (this.#options.serviceVersion && !attrs['service.version']) attrs['service.version'] = this.#options.serviceVersion;
    return resourceFromAttributes(attrs);
  }

  #process(batch: BusMessage[]): void {
    const boots = this.#boots;
    const metrics = this.#metrics;
    if (!boots || !metrics) return;
    for (const m of batch) {
      switch (m.type) {
        case 'record':
          boots.onRecord(m.record);
          metrics.onRecord(m.record);
          if (this.#logQueue) this.#emitLog(m.record);
          break;
        case 'event':
          boots.onEvent(m.event);
          metrics.onEvent(m.event);
          break;
        case 'boot':
          boots.onBoot(m.boot);
          metrics.onBoot(m.boot);
          this.#mapper.forgetPort(m.boot.port, m.boot.id);
          break;
        case 'drift':
          this.#mapper.onFit(m.fit);
          metrics.onDrift(m.fit);
          break;
        default:
          // Lines are counted from records; status and alerts are the dashboard's business.
          break;
      }
    }
  }

  #emitLog(record: ParsedRecord): void {
    const port = record.line.port;
    const boot = this.#boots?.current(port);
    const observed: HostTime = record.line.hostTime;
    let timestamp: HostTime = observed;
    const attributes: Record<string, string | number | boolean> = { 'serial.port': port, 'record.kind': record.kind, 'line.seq': record.line.seq };
    if (record.module) attributes['zephyr.module'] = record.module;
    if (boot) attributes['boot.id'] = boot.id;
    if (record.deviceTime) {
      attributes['device.uptime_us'] = record.deviceTime.us;
      attributes['device.time_source'] = record.deviceTime.source;
      if (boot) {
        const mapped = this.#mapper.map(port, boot.id, observed, record.deviceTime);
        if (mapped !== undefined) {
          timestamp = mapped;
          attributes['timestamp.from'] = 'device';
        }
      }
    }
    const severity = record.level ? SEVERITY[record.level] : undefined;
    const spanContext = boot ? this.#spanContextOf(boot.context) : undefined;
    // A ReadableLogRecord built here and queued for the exporter, not the SDK's Logger.emit: its
    // LogRecordImpl validates every attribute and converts times per record, which was ~30 % of
    // the sink's CPU at 25,000 lines/s (bench/otel.bench.ts). These attributes are all
    // primitives by construction, the times are already HrTime.
    // Built as one literal, optional fields assigned after: object spread here (`...shared`,
    // `...(cond ? {…} : {})`) took V8's slow clone path, ~4 µs per record.
    const shared = this.#logShared!;
    const logRecord: Mutable<ReadableLogRecord> = {
      resource: shared.resource,
      instrumentationScope: shared.instrumentationScope,
      hrTime: hostTimeToHrTime(timestamp),
      hrTimeObserved: hostTimeToHrTime(observed),
      // Parsers redact; this is the last point before bytes leave the process, so once more.
      body: redactSecrets(record.message),
      attributes,
      droppedAttributesCount: 0,
    };
    if (severity) {
      logRecord.severityNumber = severity.number;
      logRecord.severityText = severity.text;
    }
    if (spanContext) logRecord.spanContext = spanContext;
    this.#logQueue!.push(logRecord);
  }

  #spanContextOf(context: Context): SpanContext | undefined {
    let sc = this.#bootSpans.get(context);
    if (sc === undefined) {
      const found = trace.getSpanContext(context);
      sc = found && isSpanContextValid(found) ? found : null;
      this.#bootSpans.set(context, sc);
    }
    return sc ?? undefined;
  }
}

function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(listen.slice(i + 1)) };
}

/**
 * The sink for a daemon's config, or undefined when neither OTLP export nor the Prometheus
 * endpoint is enabled. The boot span's `board` attribute comes from `board.name`.
 */
export function createOtelSink(config: Pick<Config, 'otel' | 'prometheus' | 'board'>, serviceVersion?: string): OtelSink | undefined {
  if (!config.otel.enabled && !config.prometheus.enabled) return undefined;
  const board = config.board.name;
  return new OtelSink({ otel: config.otel, prometheus: config.prometheus, ...(board ? { board } : {}), ...(serviceVersion ? { serviceVersion } : {}) });
}
