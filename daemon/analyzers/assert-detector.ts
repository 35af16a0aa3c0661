import type { ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import { eventFromRecord, fieldNumber, fieldString } from './event-draft.ts';

/** `assert`: `ASSERTION FAIL [expr] @ file:line` (formats §2.4); k_panic() follows, so it is critical. */
export class AssertDetector implements RecordAnalyzer {
  readonly name = 'assert-detector';

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    if (record.kind !== 'zephyr.assert') return;
    const expr = fieldString(record, 'expr');
    const file = fieldString(record, 'file');
    const lineNo = fieldNumber(record, 'lineNo');
    const detail = fieldString(record, 'detail');
    const where = file ? ` @ ${file}${lineNo !== undefined ? `:${lineNo}` : ''}` : '';
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'assert',
        severity: 'critical',
        title: `Assertion failed${expr ? `: ${expr}` : ''}${where}${detail ? ` (${detail})` : ''}`,
        attrs: { expr: expr ?? null, file: file ?? null, lineNo: lineNo ?? null, detail: detail ?? null },
        hint: 'the kernel panics after a failed assertion (formats §2.4): the fault that follows is its consequence',
      }),
    );
  }
}
