import type { Boot } from '../core/boot.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { RuleConfig } from '../config/sections/rules.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import type { BootTracker } from './boot-tracker.ts';
import type { EspWifiTracker } from './esp-wifi-tracker.ts';

export interface StallDetectorOptions {
  readonly silenceMs: number;
  /** Explicit milestones; when absent they follow from the role, Wi-Fi activity and rule milestones. */
  readonly expectedMilestones?: readonly string[];
  readonly ruleMilestones: readonly RuleConfig[];
  readonly tracker: BootTracker;
  readonly wifi: EspWifiTracker;
}

/**
 * `stall`: a booted port silent for longer than its limit before reaching its last expected
 * milestone. Checked on ticks; raised once per silence, cleared by the next line. A boot that
 * ended in a fault or hypervisor error is halted on purpose: that is not a stall.
 */
export class StallDetector implements RecordAnalyzer {
  readonly name = 'stall-detector';
  #last: Line | null = null;
  #raised = false;

  constructor(private readonly options: StallDetectorOptions) {}

  expected(boot: Boot, ctx: AnalyzerContext): string[] {
    if (this.options.expectedMilestones) return [...this.options.expectedMilestones];
    const list: string[] = [];
    if (ctx.role === 'zephyr' || ctx.role === 'hypervisor') list.push('banner');
    if (ctx.role === 'esp-at') list.push('esp.ready');
    if (this.options.wifi.current()?.active && ctx.role !== 'esp-at') list.push('esp.ready', 'wifi.connected', 'dhcp.bound');
    for (const rule of this.options.ruleMilestones) if (rule.milestone && (rule.port === undefined || rule.port === ctx.port)) list.push(rule.name);
    void boot;
    return list;
  }

  onLine(line: Line, ctx: AnalyzerContext): void {
    this.#last = line;
    if (!this.#raised) return;
    this.#raised = false;
    ctx.emitEvent({
      kind: 'stall',
      severity: 'warning',
      port: ctx.port,
      boot: ctx.currentBoot()?.id ?? null,
      hostTime: line.hostTime,
      title: `${ctx.port} is talking again`,
      attrs: {},
      lines: { port: ctx.port, first: line.seq, last: line.seq },
      state: 'cleared',
    });
  }

  onTick(now: HostTime, ctx: AnalyzerContext): void {
    const boot = ctx.currentBoot();
    const last = this.#last;
    if (this.#raised || !boot || !last || boot.endReason !== 'running') return;
    const silentMs = (now - last.hostTime) / 1000;
    if (silentMs <= this.options.silenceMs) return;
    const pending = this.options.tracker.pendingEnd();
    if (pending === 'fault' || pending === 'hv.error') return;
    const expected = this.expected(boot, ctx);
    const lastExpected = expected[expected.length - 1];
    if (lastExpected === undefined || boot.milestones.some((m) => m.name === lastExpected)) return;
    const reached = boot.milestones.map((m) => m.name);
    const missing = expected.filter((m) => !reached.includes(m));
    this.#raised = true;
    ctx.emitEvent({
      kind: 'stall',
      severity: 'warning',
      port: ctx.port,
      boot: boot.id,
      hostTime: now,
      title: `${ctx.port} silent for ${Math.round(silentMs / 1000)} s before reaching ${missing[0] ?? lastExpected}`,
      attrs: { silentS: Math.round(silentMs) / 1000, lastMilestone: reached[reached.length - 1] ?? null, missing: missing.join(','), lastLine: last.text.slice(0, 200) },
      hint: `the device may be hung, halted or waiting; the last line was: ${last.text.slice(0, 120)}`,
      lines: { port: ctx.port, first: last.seq, last: last.seq },
      state: 'raised',
    });
  }
}
