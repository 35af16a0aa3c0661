import { createLineParser } from '../../parsers/create-line-parser.ts';
import { createPortAnalysis } from '../analyzers/port-analysis.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { PortRole } from '../core/port-role.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { Config } from '../config/schema.ts';
import { createDriftAnalyzer } from '../drift/drift-analyzer.ts';
import { REDACTED } from '../../parsers/redact.ts';
import type { BusMessage } from './bus-message.ts';
import { parserOptions } from './parser-options.ts';

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
  /** Index of the port's first boot in this run (continues the store's history). */
  readonly startBootIndex?: number;
}

function redactWholeLine(line: Line): Line {
  const indent = /^\s*/.exec(line.text)?.[0] ?? '';
  const text = `${indent}${REDACTED}`;
  const { ansi: _ansi, ...rest } = line;
  return { ...rest, text, bytes: Buffer.from(`${text}\r\n`), terminator: 'crlf' };
}

/** A record held back (an unfinished fault dump) is let go after this much silence on the port. */
const PARSER_IDLE_FLUSH_US = 2_000_000;

/**
 * Line → records (parsers/) → events, boots and drift fits (daemon/analyzers/, daemon/drift/):
 * exactly what `uartscope analyze` runs offline.
 */
export function createAnalysisStage(options: AnalysisStageOptions): AnalysisStage {
  const { port, role, config, publish } = options;
  const parser = createLineParser(parserOptions(role, config));
  const analysis = createPortAnalysis({
    port, role, config, publish,
    extraAnalyzers: [createDriftAnalyzer()],
    ...(options.startBootIndex !== undefined ? { startBootIndex: options.startBootIndex } : {}),
  });
  let lastLineAt = 0;
  let holding = false;
  const records = (list: ReturnType<typeof parser.push>) => {
    for (const record of list) {
      publish({ type: 'record', record });
      analysis.onRecord(record);
    }
  };
  return {
    onLine(line) {
      lastLineAt = line.hostTime;
      const out = parser.push(line);
      // The line is published here, after the parser saw it, so a line that is part of a
      // secret spread over several lines (a hexdump of AT+CWJAP) leaves redacted.
      const published = parser.lastLineSecret?.(line) ? redactWholeLine(line) : line;
      publish({ type: 'line', line: published });
      analysis.onLine(published);
      holding = true;
      records(out);
    },
    onStatus(status) {
      if (status.state !== 'connected') { records(parser.flush()); holding = false; }
      analysis.onStatus(status);
    },
    onTick(now) {
      if (holding && now - lastLineAt >= PARSER_IDLE_FLUSH_US) { records(parser.flushIdle()); holding = false; }
      analysis.onTick(now);
    },
    end(now) {
      records(parser.flush());
      analysis.end(now);
    },
  };
}
