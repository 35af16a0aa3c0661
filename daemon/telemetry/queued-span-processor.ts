import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ExportQueue } from './export-queue.ts';

/** Hands each finished span to an {@link ExportQueue}; never blocks the code that ended it. */
export class QueuedSpanProcessor implements SpanProcessor {
  constructor(private readonly queue: ExportQueue<ReadableSpan>, private readonly flushDeadlineMs: number) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    this.queue.push(span);
  }

  async forceFlush(): Promise<void> {
    await this.queue.flush(this.flushDeadlineMs);
  }

  shutdown(): Promise<void> {
    return this.queue.shutdown(this.flushDeadlineMs);
  }
}
