import type { ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import type { BootTracker } from './boot-tracker.ts';
import { eventFromRecord, fieldString } from './event-draft.ts';

/** What the Armv8-M Bao/CROSSCON error messages mean (formats §6.1, §6.3). */
function hvHint(message: string): string {
  if (/register (?:mpu|sau)(?: nsc)? entry/i.test(message)) {
    return 'a VM memory region in the hypervisor config could not be mapped: too many regions for the MPU/SAU (PLAT_MAX_MPU_REGIONS = 8) or a misaligned/overlapping region (formats §6.3)';
  }
  if (/interrupt id/i.test(message)) {
    return 'an interrupt id in the VM config is invalid: hypervisor ids are NVIC IRQn + 16 (USART2 = 32, USART3 = 33, formats §6.3, §7.1)';
  }
  return 'the hypervisor halts after ERROR (it spins forever, formats §6.1): nothing after this line comes from this run';
}

/** `hv.error`: a hypervisor `ERROR` message. Fatal: the hypervisor spins forever after it. */
export class HvErrorDetector implements RecordAnalyzer {
  readonly name = 'hv-error-detector';

  constructor(private readonly tracker: BootTracker) {}

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    if (record.kind !== 'hv.log' || fieldString(record, 'hvLevel') !== 'ERROR') return;
    this.tracker.setPendingEnd('hv.error');
    const hv = fieldString(record, 'hv') ?? 'bao';
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'hv.error',
        severity: 'critical',
        title: `Hypervisor error: ${record.message.trim()} (the hypervisor halts)`,
        attrs: { hv, message: record.message },
        hint: hvHint(record.message),
      }),
    );
  }
}
