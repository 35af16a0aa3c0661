import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportResult } from './export-queue.ts';

/**
 * Wraps the OTLP metric exporter to count failed pushes. A failed push of cumulative metrics
 * loses no totals (the next push carries them), but the operator should still see it.
 */
export class CountingMetricExporter implements PushMetricExporter {
  exports = 0;
  failures = 0;

  constructor(private readonly inner: PushMetricExporter) {
    if (inner.selectAggregationTemporality) this.selectAggregationTemporality = (t) => inner.selectAggregationTemporality!(t);
    if (inner.selectAggregation) this.selectAggregation = (t) => inner.selectAggregation!(t);
  }

  selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
  selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exports++;
    this.inner.export(metrics, (result) => {
      if (result.code !== 0) this.failures++;
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
