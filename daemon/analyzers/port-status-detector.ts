import type { PortStatus } from '../core/port-status.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import type { BootTracker } from './boot-tracker.ts';

/** `port.disconnected` / `port.reconnected` from the source's status (`connected | retrying | gone`). */
export class PortStatusDetector implements RecordAnalyzer {
  readonly name = 'port-status-detector';
  #wasConnected = false;
  #down = false;
  #lastSeq = 0;

  constructor(private readonly tracker: BootTracker) {}

  onLine(line: { readonly seq: number }): void {
    this.#lastSeq = line.seq;
    // Lines arriving means the port is open, also when no `connected` status was seen (analyze).
    this.#wasConnected = true;
  }

  onStatus(status: PortStatus, ctx: AnalyzerContext): void {
    if (status.state === 'connected') {
      if (this.#down) {
        this.#down = false;
        ctx.emitEvent(this.#event(status, ctx, 'port.reconnected', 'info', `${ctx.port} reconnected`));
      }
      this.#wasConnected = true;
      return;
    }
    // `gone` after a replay's end of file or a stop is not an unplug.
    if (status.state === 'retrying' && this.#wasConnected && !this.#down) {
      this.#down = true;
      this.tracker.setPendingEnd('disconnected');
      ctx.emitEvent({
        ...this.#event(status, ctx, 'port.disconnected', 'warning', `${ctx.port} disconnected${status.reason ? ` (${status.reason})` : ''}`),
        hint: 'the serial device went away (unplugged, probe reset, or board power-cycled); lines sent meanwhile are lost',
      });
    }
  }

  #event(status: PortStatus, ctx: AnalyzerContext, kind: string, severity: 'info' | 'warning', title: string) {
    return {
      kind,
      severity,
      port: ctx.port,
      boot: ctx.currentBoot()?.id ?? null,
      hostTime: status.hostTime,
      title,
      attrs: { reason: status.reason ?? null, state: status.state },
      lines: { port: ctx.port, first: this.#lastSeq, last: this.#lastSeq },
    };
  }
}
