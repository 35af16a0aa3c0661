import type { ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import type { BootTracker } from './boot-tracker.ts';
import { eventFromRecord, fieldNumber, fieldString } from './event-draft.ts';

/**
 * Zephyr's ARM reason codes (formats §2.2, from `include/zephyr/arch/arm/arch.h` via
 * reason_to_str): what each means and where to look. Codes 16+ print as "Unknown error".
 */
const REASON_HINTS: ReadonlyArray<readonly [number, number, string]> = [
  [2, 2, 'stack overflow: raise the stack size of the thread named in the dump (CONFIG_MAIN_STACK_SIZE for main, CONFIG_ISR_STACK_SIZE for irq)'],
  [3, 3, 'k_oops() or a bad system call from user mode'],
  [4, 4, 'k_panic(): often a failed assertion; see the assert event before it'],
  [16, 21, 'MemManage fault: an MPU region denied the access; check the address in MMFAR and the thread stack guards'],
  [22, 28, 'bus fault: an access to an address with no (or no permitted) peripheral behind it; check BFAR. Inside a hypervisor VM, a peripheral not assigned to the VM faults like this'],
  [29, 29, 'usage fault'],
  [30, 30, 'division by zero'],
  [31, 31, 'unaligned memory access'],
  [32, 32, 'stack overflow caught by PSPLIM/MSPLIM: raise the thread stack size'],
  [33, 33, 'no coprocessor: FPU use without CONFIG_FPU'],
  [34, 35, 'illegal EXC_RETURN/EPSR: corrupted stack or return address'],
  [36, 36, 'undefined instruction: a jump to data or a build for the wrong core'],
  [37, 44, 'secure fault: a non-secure world (the VM) touched secure memory or a secure peripheral alias (0x5xxx_xxxx on the LPC55S69, formats §7.1)'],
];

export function faultHint(reasonCode: number | undefined): string | undefined {
  if (reasonCode === undefined) return undefined;
  return REASON_HINTS.find(([lo, hi]) => reasonCode >= lo && reasonCode <= hi)?.[2];
}

/** `fault`: one critical event per Zephyr fatal dump (the parser joins the dump into one `zephyr.fatal` record). */
export class FaultDetector implements RecordAnalyzer {
  readonly name = 'fault-detector';

  constructor(private readonly tracker: BootTracker) {}

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    if (record.kind !== 'zephyr.fatal') return;
    const faultType = fieldString(record, 'faultType');
    const reasonCode = fieldNumber(record, 'reasonCode');
    const reason = fieldString(record, 'reason');
    const pc = fieldString(record, 'pc');
    const thread = fieldString(record, 'thread');
    const threadName = fieldString(record, 'threadName');
    const what = faultType ?? 'Fatal error';
    // Codes 16+ print as "Unknown error" (formats §2.2); the parser adds their meaning.
    const reasonMeaning = fieldString(record, 'reasonMeaning');
    const why = reason !== undefined && reason !== 'Unknown error' ? reason : reasonMeaning ?? (reasonCode !== undefined ? `reason ${reasonCode}` : undefined);
    const faultAddress = fieldString(record, 'faultAddress');
    const title = `${what}${why ? `: ${why}` : ''}${pc ? ` at PC ${pc}` : ''}${threadName ?? thread ? ` in thread ${threadName ?? thread}` : ''}`;
    this.tracker.setPendingEnd('fault');
    const hint = faultHint(reasonCode);
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'fault',
        severity: 'critical',
        title,
        attrs: {
          faultType: faultType ?? null,
          reasonCode: reasonCode ?? null,
          reason: reason ?? null,
          reasonMeaning: reasonMeaning ?? null,
          pc: pc ?? null,
          faultAddress: faultAddress ?? null,
          thread: thread ?? null,
          threadName: threadName ?? null,
          cpu: fieldNumber(record, 'cpu') ?? null,
          details: fieldString(record, 'details') ?? null,
          halted: record.fields['halted'] === true,
        },
        ...(hint ? { hint } : {}),
      }),
    );
  }
}
