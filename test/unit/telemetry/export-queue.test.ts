import { InMemorySpanExporter, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { ExportQueue } from '../../../daemon/telemetry/export-queue.ts';

function spans(n: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [{ onStart() {}, onEnd: (s) => void exporter.export([s], () => {}), forceFlush: async () => {}, shutdown: async () => {} }] });
  const tracer = provider.getTracer('t');
  for (let i = 0; i < n; i++) tracer.startSpan(`s${i}`).end();
  return exporter.getFinishedSpans();
}

describe('ExportQueue', () => {
  it('exports everything in batches when the exporter keeps up', async () => {
    const exporter = new InMemorySpanExporter();
    const q = new ExportQueue('t', exporter, { capacity: 100, maxBatch: 10, intervalMs: 5, timeoutMs: 1000 });
    for (const s of spans(50)) expect(q.push(s)).toBe(true);
    expect(await q.flush(5000)).toBe(true);
    expect(exporter.getFinishedSpans()).toHaveLength(50);
    expect(q.stats()).toMatchObject({ received: 50, delivered: 50, dropped: 0 });
  });

  it('drops beyond capacity on push and counts failed exports as drops, without throwing', async () => {
    const exporter = new InMemorySpanExporter();
    await exporter.shutdown(); // a shut-down InMemorySpanExporter answers FAILED
    const q = new ExportQueue('t', exporter, { capacity: 20, maxBatch: 5, intervalMs: 1, timeoutMs: 1000 });
    const results = spans(30).map((s) => q.push(s));
    expect(results.filter((r) => !r)).toHaveLength(10);
    await q.flush(5000);
    expect(q.stats()).toMatchObject({ received: 30, delivered: 0, dropped: 30, droppedBy: { queue_full: 10, export_failed: 20 }, errors: 4 });
  });

  it('gives up at the deadline on an exporter that never answers, and drops the rest on shutdown', async () => {
    const hung = { export: () => {}, shutdown: async () => {} };
    const q = new ExportQueue<number>('hung', hung, { capacity: 100, maxBatch: 10, intervalMs: 1, timeoutMs: 60_000 });
    for (let i = 0; i < 30; i++) q.push(i);
    expect(await q.flush(200)).toBe(false);
    await q.shutdown(200);
    // One batch was in flight (hung), two waited in the queue: all 30 count as dropped at shutdown.
    expect(q.stats()).toMatchObject({ received: 30, delivered: 0, dropped: 30, droppedBy: { shutdown: 30 } });
    expect(q.push(99)).toBe(false);
  });
});
