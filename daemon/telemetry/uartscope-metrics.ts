import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { ParsedRecord } from '../core/parsed-record.ts';
import type { QueueStats } from '../pipeline/bounded-queue.ts';

/** Where the observable instruments read their values at collection time. */
export interface MetricSources {
  /** Queue stats per sink or stage name: runtime.stages() plus this sink's own queues. */
  queues(): Readonly<Record<string, QueueStats>>;
}

/**
 * Boot-to-connected buckets (s): an ESP-AT module that answers joins in 2–6 s; the seed's
 * failing reset loop takes ~30 s before the driver gives up (fixtures/seed).
 */
const CONNECT_BUCKETS_S = [0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120, 300];
const FAULT_KINDS = new Set(['fault', 'assert', 'hv.error']);

/**
 * The daemon's metrics, one set for OTLP and Prometheus alike. Names are chosen so the
 * Prometheus exporter (which only sanitises names and adds `_total` to counters) yields
 * names `promtool check metrics` accepts: `uartscope_lines_total`, `uartscope_clock_drift_ratio`
 * (unitless), `uartscope_clock_drift_ppm`, `uartscope_boot_connect_duration_seconds`. Labels
 * are few and bounded: port, level, source, kind, sink, reason.
 */
export class UartscopeMetrics {
  /** Lines and bytes per `port\0level`, summed here and observed at collection: the SDK's
   * per-call attribute hashing was the sink's hottest path at 25,000 lines/s. */
  readonly #lineTotals = new Map<string, { port: string; level: string; lines: number; bytes: number }>();
  readonly #resets: Counter;
  readonly #faults: Counter;
  readonly #resetFailures: Counter;
  readonly #connectFailures: Counter;
  readonly #connectDuration: Histogram;
  /** Latest fit per port and time source. */
  readonly #fits = new Map<string, DriftFit>();
  readonly #seenBoots = new Set<string>();

  constructor(meter: Meter, sources: MetricSources) {
    const lines = meter.createObservableCounter('uartscope.lines', { description: 'Lines received, by port and log level (`none` when the line has no level)' });
    const bytes = meter.createObservableCounter('uartscope.bytes', { description: 'Bytes of the lines received, by port and log level', unit: 'By' });
    lines.addCallback((r) => {
      for (const t of this.#lineTotals.values()) r.observe(t.lines, { port: t.port, level: t.level });
    });
    bytes.addCallback((r) => {
      for (const t of this.#lineTotals.values()) r.observe(t.bytes, { port: t.port, level: t.level });
    });
    this.#resets = meter.createCounter('uartscope.resets', { description: 'Device resets: boots after the first one seen on a port' });
    this.#faults = meter.createCounter('uartscope.faults', { description: 'Fatal errors, asserts and hypervisor errors, by port and kind' });
    this.#resetFailures = meter.createCounter('uartscope.esp.reset_failures', { description: 'ESP-AT module resets that failed (`Failed to reset device`)' });
    this.#connectFailures = meter.createCounter('uartscope.wifi.connect_failures', { description: 'Failed Wi-Fi connects, by port and errno name' });
    this.#connectDuration = meter.createHistogram('uartscope.boot.connect_duration_seconds', {
      description: 'Time from a boot\'s first line to Wi-Fi connected',
      unit: 's',
      advice: { explicitBucketBoundaries: CONNECT_BUCKETS_S },
    });
    const ratio = meter.createObservableGauge('uartscope.clock.drift.ratio', {
      description: 'Device clock seconds per host second, latest fit per port and time source (1 = on time, 0.125 = 8x slow)',
      unit: '1',
    });
    const ppm = meter.createObservableGauge('uartscope.clock.drift.ppm', {
      description: 'Device clock deviation from host time in parts per million, latest fit per port and time source',
    });
    ratio.addCallback((r) => {
      for (const fit of this.#fits.values()) r.observe(fit.ratio, { port: fit.port, source: fit.source });
    });
    ppm.addCallback((r) => {
      for (const fit of this.#fits.values()) r.observe(fit.ppm, { port: fit.port, source: fit.source });
    });
    const dropped = meter.createObservableCounter('uartscope.sink.dropped', {
      description: 'Items dropped by a sink or pipeline stage queue, by reason (queue_full, export_failed, shutdown, …)',
    });
    dropped.addCallback((r) => {
      for (const [sink, stats] of Object.entries(sources.queues())) {
        // queue_full is always reported, 0 included, so an alert rule has a series to read.
        const byReason: Record<string, number> = { queue_full: 0, ...stats.droppedBy };
        for (const [reason, n] of Object.entries(byReason)) r.observe(n, { sink, reason });
      }
    });
  }

  onRecord(record: ParsedRecord): void {
    const level = record.level ?? 'none';
    const key = `${record.line.port}\0${level}`;
    let t = this.#lineTotals.get(key);
    if (!t) this.#lineTotals.set(key, (t = { port: record.line.port, level, lines: 0, bytes: 0 }));
    t.lines += record.lastSeq - record.line.seq + 1;
    t.bytes += record.line.bytes.byteLength;
  }

  onBoot(boot: Boot): void {
    if (this.#seenBoots.has(boot.id)) return;
    this.#seenBoots.add(boot.id);
    if (this.#seenBoots.size > 4096) this.#seenBoots.delete(this.#seenBoots.values().next().value!);
    if (boot.index > 0) this.#resets.add(1, { port: boot.port });
    // The gauges keep the last fit across a reboot until the new boot has its own: the SDK's
    // cumulative async storage keeps reporting a series once observed anyway, and for a
    // misconfigured clock the last ratio is still the best statement about the device.
  }

  onEvent(event: BusEvent): void {
    if (FAULT_KINDS.has(event.kind)) this.#faults.add(1, { port: event.port, kind: event.kind });
    else if (event.kind === 'esp.reset_failed') this.#resetFailures.add(1, { port: event.port });
    else if (event.kind === 'wifi.connect_failed') {
      const errno = event.attrs.errnoName ?? event.attrs.errno ?? 'unknown';
      this.#connectFailures.add(1, { port: event.port, errno: String(errno) });
    }
  }

  onDrift(fit: DriftFit): void {
    if (fit.verdict === 'insufficient') return;
    this.#fits.set(`${fit.port}\0${fit.source}`, fit);
  }

  onConnected(port: string, seconds: number): void {
    this.#connectDuration.record(seconds, { port });
  }
}
