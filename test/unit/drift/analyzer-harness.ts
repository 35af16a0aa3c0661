import type { AnalyzerContext, RecordAnalyzer } from '../../../daemon/analyzers/record-analyzer.ts';
import type { Boot } from '../../../daemon/core/boot.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import type { DriftFit } from '../../../daemon/core/drift-fit.ts';
import type { DeviceTimeSource, ParsedRecord } from '../../../daemon/core/parsed-record.ts';
import type { Config } from '../../../daemon/config/schema.ts';
import { boardSchema } from '../../../daemon/config/sections/board.ts';
import { driftSchema } from '../../../daemon/config/sections/drift.ts';

/**
 * A real drift analyzer fed through the AnalyzerContext contract, recording what it emits.
 * Only the `drift` and `board` sections are parsed (by their real schemas): the analyzer
 * reads nothing else, and other sections belong to other engineers.
 */
export class DriftHarness {
  readonly events: BusEvent[] = [];
  readonly fits: DriftFit[] = [];
  readonly ctx: AnalyzerContext;
  #boot: Boot | null = null;
  #seq = 0;
  #bootIndex = 0;

  constructor(readonly analyzer: RecordAnalyzer, drift: unknown = undefined, board: unknown = undefined, readonly port = 'console') {
    const config = { drift: driftSchema.parse(drift), board: boardSchema.parse(board) } as unknown as Config;
    let n = 0;
    this.ctx = {
      port,
      role: 'zephyr',
      config,
      currentBoot: () => this.#boot,
      emitEvent: (e) => { const ev = { ...e, id: `e${++n}` }; this.events.push(ev); return ev; },
      emitBoot: () => {},
      emitDrift: (f) => { this.fits.push(f); },
    };
  }

  boot(hostTime: number): Boot {
    const b: Boot = {
      id: `${this.port}#${this.#bootIndex}`, port: this.port, index: this.#bootIndex++, hostStart: hostTime,
      firstSeq: this.#seq, kind: 'zephyr', milestones: [], endReason: 'running',
    };
    this.#boot = b;
    this.analyzer.onBootStart?.(b, this.ctx);
    return b;
  }

  record(hostTime: number, deviceUs: number | undefined, source: DeviceTimeSource = 'log', resolutionUs = 1000): void {
    const seq = this.#seq++;
    const r: ParsedRecord = {
      line: {
        port: this.port, seq, hostTime, bytes: new Uint8Array(0), terminator: 'crlf', text: '', nonTextBytes: 0,
        flags: { partial: false, truncated: false },
      },
      lastSeq: seq,
      dialect: 'zephyr',
      kind: source === 'uptime' ? 'uptime' : 'zephyr.log',
      ...(deviceUs !== undefined ? { deviceTime: { us: deviceUs, source, resolutionUs } } : {}),
      message: '',
      fields: {},
    };
    this.analyzer.onLine?.(r.line, this.ctx);
    this.analyzer.onRecord?.(r, this.ctx);
  }

  status(state: 'connected' | 'retrying' | 'gone', hostTime: number): void {
    this.analyzer.onStatus?.({ port: this.port, state, hostTime }, this.ctx);
  }

  end(hostTime: number): void { this.analyzer.end?.(hostTime, this.ctx); }

  drift(): BusEvent[] { return this.events.filter((e) => e.kind === 'clock.drift'); }
  states(): string[] { return this.drift().map((e) => e.state ?? '?'); }
}
