import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { PortRole } from '../core/port-role.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { Config } from '../config/schema.ts';
import type { BusMessage } from './bus-message.ts';

/** Parsers and analyzers of one port, behind the line queue. */
export interface AnalysisStage {
  onLine(line: Line): void;
  onStatus(status: PortStatus): void;
  onTick(now: HostTime): void;
  end(now: HostTime): void;
}

export interface AnalysisStageOptions {
  readonly port: string;
  readonly role: PortRole;
  readonly config: Config;
  readonly publish: (message: BusMessage) => void;
}

/** Placeholder until the parsers and analyzers land: every line becomes a `text` record. */
export function createAnalysisStage(options: AnalysisStageOptions): AnalysisStage {
  return {
    onLine(line) {
      options.publish({ type: 'record', record: { line, lastSeq: line.seq, dialect: 'text', kind: 'text', message: line.text, fields: {} } });
    },
    onStatus() {},
    onTick() {},
    end() {},
  };
}
