import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { ExportQueue } from './export-queue.ts';

/** Hands each emitted log record to an {@link ExportQueue}; never blocks the emitter. */
export class QueuedLogRecordProcessor implements LogRecordProcessor {
  constructor(private readonly queue: ExportQueue<ReadableLogRecord>, private readonly flushDeadlineMs: number) {}

  onEmit(logRecord: SdkLogRecord, _context?: Context): void {
    this.queue.push(logRecord);
  }

  async forceFlush(): Promise<void> {
    await this.queue.flush(this.flushDeadlineMs);
  }

  shutdown(): Promise<void> {
    return this.queue.shutdown(this.flushDeadlineMs);
  }
}
