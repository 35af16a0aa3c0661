import type { ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import { eventFromRecord, fieldNumber } from './event-draft.ts';

/** `log.dropped`: Zephyr's `--- N messages dropped ---` (formats §1.8; N is capped at 9999). */
export class DroppedDetector implements RecordAnalyzer {
  readonly name = 'dropped-detector';

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    if (record.kind !== 'zephyr.dropped') return;
    const count = fieldNumber(record, 'count') ?? null;
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'log.dropped',
        severity: 'warning',
        title: count === null ? 'Zephyr dropped log messages' : `Zephyr dropped ${count} log message${count === 1 ? '' : 's'}`,
        attrs: { count },
        hint: 'the deferred log buffer overflowed (CONFIG_LOG_BUFFER_SIZE, default 1024) or the UART is too slow for the log rate: enlarge the buffer, lower log levels, or raise the baud rate (formats §1.8, §1.9)',
      }),
    );
  }
}
