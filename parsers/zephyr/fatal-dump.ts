import type { FieldValue } from '../../daemon/core/parsed-record.ts';

/**
 * A Zephyr fatal error dump collected over its lines into one record (reference/formats.md
 * §2.2–2.3): the fault block header (`***** HARD FAULT *****` …), its detail lines, the
 * register dump, `Faulting instruction address (r15/pc): …`, `>>> ZEPHYR FATAL ERROR n:
 * reason on CPU c`, `Current thread: 0x… (name)`, `Halting system`. Older and other-arch
 * forms (`Fault! EXC #N`, `FATAL: …`, `Fatal fault in thread …! Aborting.`, x86 register
 * lines, `***** CPU Page Fault …`) start or continue a dump as well.
 */
const HEADER = /^\*{5} (.+?)(?: \*{5})?$/;
const FATAL_LINE = />>> ZEPHYR FATAL ERROR (\d+): (.+?)(?: on CPU (\d+))?$/;
const OLD_FATAL = /^FATAL: (.*)$/;
const PC = /Faulting instruction address \(r15\/pc\): (0x[0-9a-fA-F]+)/;
const OLD_PC = /Faulting instruction address\s*[:=]?\s*(0x[0-9a-fA-F]+)/;
const THREAD = /(?:Current thread(?: ID)?(?::| =)|Executing thread ID \(thread\):) (0x[0-9a-fA-F]+|\(nil\)|\S+)(?: \(([^)]*)\))?/;
const FAR = /^(BFAR|MMFAR|SFAR)? ?Address: (0x[0-9a-fA-F]+)/;
// Lines that begin a dump when no dump is open.
const START = /^(?:\*{5} (?!Booting|delaying boot)|>>> ZEPHYR FATAL ERROR|Fault! EXC #|FATAL: |Fatal fault in |r0\/a1: |\*\*\*\*\* CPU |Page fault at )/;
// Lines that continue an open dump (trimmed text).
const CONTINUE = /^(?:r\d{1,2}\/[a-z0-9]{2}: |xpsr: |s\[ ?\d+\]: |fpscr: |psp: |msp: |EXC_RETURN: |e(?:ax|bx|cx|dx|si|di|bp|sp|ip|flags): |eflags: |cs: |Faulting |Current thread|Halting system|Fault during interrupt|>>> ZEPHYR FATAL|FATAL: |MMFSR: |SFSR: |Fatal fault in|ARCH_EXCEPT|Caught system error|Page fault|Reserved Exception|Spurious interrupt|Fault escalation|Stack overflow|Kernel (?:oops|panic|OOPS)|\*{5} |(?:BFAR|MMFAR|SFAR)? ?Address: |Fault! EXC|Executing thread)/;

/** Reason codes above 4 print as `Unknown error` (kernel/fatal.c); their ARM meaning (§2.2 table). */
const ARM_REASONS: ReadonlyMap<number, string> = new Map([
  [0, 'CPU exception'], [1, 'Unhandled interrupt'], [2, 'Stack overflow'], [3, 'Kernel oops'], [4, 'Kernel panic'],
  [16, 'MemManage fault'], [17, 'MemManage stacking error'], [18, 'MemManage unstacking error'],
  [19, 'MemManage data access violation'], [20, 'MemManage instruction access violation'],
  [21, 'MemManage FP lazy state error'], [22, 'BusFault'], [23, 'BusFault stacking error'],
  [24, 'BusFault unstacking error'], [25, 'BusFault precise data bus error'],
  [26, 'BusFault imprecise data bus error'], [27, 'BusFault instruction bus error'],
  [28, 'BusFault FP lazy state error'], [29, 'UsageFault'], [30, 'UsageFault divide by zero'],
  [31, 'UsageFault unaligned access'], [32, 'UsageFault stack overflow (PSPLIM/MSPLIM)'],
  [33, 'UsageFault no coprocessor'], [34, 'UsageFault illegal EXC_RETURN'],
  [35, 'UsageFault illegal EPSR use'], [36, 'UsageFault undefined instruction'],
  [37, 'SecureFault'], [38, 'SecureFault invalid entry point'], [39, 'SecureFault invalid integrity signature'],
  [40, 'SecureFault invalid exception return'], [41, 'SecureFault attribution unit violation'],
  [42, 'SecureFault invalid transition'], [43, 'SecureFault lazy state preservation'],
  [44, 'SecureFault lazy state error'],
]);

export function startsFatalDump(trimmed: string): boolean {
  return START.test(trimmed);
}

export function continuesFatalDump(trimmed: string): boolean {
  return CONTINUE.test(trimmed);
}

export function isFatalEnd(trimmed: string): boolean {
  return trimmed.startsWith('Halting system') || trimmed.startsWith('Fatal fault in');
}

export class FatalDump {
  faultType: string | undefined;
  reasonCode: number | undefined;
  reason: string | undefined;
  pc: string | undefined;
  thread: string | undefined;
  threadName: string | undefined;
  cpu: number | undefined;
  faultAddress: string | undefined;
  halted = false;
  readonly #details: string[] = [];

  add(trimmed: string): void {
    this.#details.push(trimmed);
    if (trimmed.startsWith('*****')) {
      const h = HEADER.exec(trimmed);
      if (h && this.faultType === undefined) this.faultType = h[1]!.trim();
      return;
    }
    let m = FATAL_LINE.exec(trimmed);
    if (m) {
      this.reasonCode = Number(m[1]);
      this.reason = m[2];
      if (m[3] !== undefined) this.cpu = Number(m[3]);
      return;
    }
    if ((m = OLD_FATAL.exec(trimmed))) {
      this.reason ??= m[1];
      return;
    }
    if ((m = PC.exec(trimmed) ?? OLD_PC.exec(trimmed))) {
      this.pc = m[1];
      return;
    }
    if ((m = THREAD.exec(trimmed))) {
      this.thread = m[1];
      if (m[2] !== undefined) this.threadName = m[2];
      return;
    }
    if ((m = FAR.exec(trimmed))) {
      this.faultAddress = m[2];
      return;
    }
    if (trimmed.startsWith('Fault! EXC #')) this.faultType ??= trimmed;
    if (trimmed.startsWith('Halting system') || trimmed.startsWith('Fatal fault in')) this.halted = true;
  }

  message(): string {
    const parts: string[] = [];
    if (this.faultType !== undefined) parts.push(this.faultType);
    if (this.reasonCode !== undefined) parts.push(`ZEPHYR FATAL ERROR ${this.reasonCode}: ${this.reasonMeaning() ?? this.reason ?? ''}`);
    else if (this.reason !== undefined) parts.push(this.reason);
    if (this.pc !== undefined) parts.push(`pc ${this.pc}`);
    if (this.threadName !== undefined || this.thread !== undefined) parts.push(`thread ${this.threadName ?? this.thread}`);
    return parts.length > 0 ? parts.join(', ') : 'fatal error';
  }

  reasonMeaning(): string | undefined {
    return this.reasonCode === undefined ? undefined : ARM_REASONS.get(this.reasonCode) ?? this.reason;
  }

  fields(): Record<string, FieldValue> {
    const f: Record<string, FieldValue> = { details: this.#details.join('\n'), halted: this.halted };
    if (this.faultType !== undefined) f['faultType'] = this.faultType;
    if (this.reasonCode !== undefined) {
      f['reasonCode'] = this.reasonCode;
      const meaning = this.reasonMeaning();
      if (meaning !== undefined) f['reasonMeaning'] = meaning;
    }
    if (this.reason !== undefined) f['reason'] = this.reason;
    if (this.pc !== undefined) f['pc'] = this.pc;
    if (this.thread !== undefined) f['thread'] = this.thread;
    if (this.threadName !== undefined) f['threadName'] = this.threadName;
    if (this.cpu !== undefined) f['cpu'] = this.cpu;
    if (this.faultAddress !== undefined) f['faultAddress'] = this.faultAddress;
    return f;
  }
}
