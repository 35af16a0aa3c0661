import type { ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import { eventFromRecord } from './event-draft.ts';

/**
 * `uart.shared`: ESP-AT traffic (`fields.atTraffic`, set by the parsers on non-esp-at ports)
 * on a console port, i.e. the console and the ESP module on one UART. Once per boot.
 */
export class SharedUartDetector implements RecordAnalyzer {
  readonly name = 'shared-uart-detector';
  #count = 0;
  #firstSeq: number | null = null;
  #lastSeq: number | null = null;
  #raised = false;

  constructor(private readonly minLines: number) {}

  onBootStart(): void {
    this.#count = 0;
    this.#firstSeq = null;
    this.#lastSeq = null;
    this.#raised = false;
  }

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    if (this.#raised || ctx.role === 'esp-at' || record.fields['atTraffic'] !== true) return;
    this.#count++;
    // Records can arrive out of line order (an AT command is held until its result or a flush).
    this.#firstSeq = Math.min(this.#firstSeq ?? record.line.seq, record.line.seq);
    this.#lastSeq = Math.max(this.#lastSeq ?? record.lastSeq, record.lastSeq);
    if (this.#count < this.minLines) return;
    this.#raised = true;
    const draft = eventFromRecord(record, ctx, {
      kind: 'uart.shared',
      severity: 'warning',
      title: `ESP-AT traffic on console port ${ctx.port}: two users on one UART`,
      attrs: { atLines: this.#count, sample: record.message.slice(0, 120) },
      hint: 'console and ESP module on one UART: move the console (USART3 variant, formats §6.4)',
    });
    ctx.emitEvent({ ...draft, lines: { ...draft.lines, first: this.#firstSeq, last: this.#lastSeq ?? draft.lines.last } });
  }
}
