import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { createLineParser } from '../../parsers/create-line-parser.ts';
import { parserOptions } from '../pipeline/parser-options.ts';
import type { LineParser } from '../../parsers/line-parser.ts';
import { createCaptureReader, type CaptureReader } from '../../parsers/capture-formats/create-capture-reader.ts';
import { detectCaptureFormat } from '../../parsers/capture-formats/detect-capture-format.ts';
import type { CaptureFormat, CaptureLine } from '../../parsers/capture-formats/capture-line.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { PortRole } from '../core/port-role.ts';
import type { PortState } from '../core/port-status.ts';
import { loadConfig, parseConfig, ConfigError } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';
import { stripAnsi } from '../framing/ansi.ts';
import type { RecordAnalyzer } from '../analyzers/record-analyzer.ts';
import { createPortAnalysis, type PortAnalysis } from '../analyzers/port-analysis.ts';
import type { AnalyzeReport, ReportSource } from './analyze-report.ts';
import { ANALYZE_USAGE, ArgsError, parseAnalyzeArgs } from './parse-analyze-args.ts';
import { captureFileLines } from './capture-file-lines.ts';
import { guessRole } from './guess-role.ts';
import { checksFromEvents, renderJunit } from './junit.ts';
import { renderTextReport } from './render-text-report.ts';
import { ReportCollector } from './report-collector.ts';
import type { Mutable } from '../core/mutable.ts';

export interface AnalyzeIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stderrIsTTY: boolean;
}

export interface AnalyzeOptions {
  /** Analyzers of other engineers (the drift fitter), per port, run after the built-in ones. */
  readonly extraAnalyzers?: (port: string, role: PortRole, config: Config) => RecordAnalyzer[];
}

/** The checks of `--junit` when no `--fail-on` names them: every failure kind of DESIGN.md. */
export const DEFAULT_CHECK_KINDS = ['fault', 'assert', 'hv.error', 'esp.reset_failed', 'wifi.connect_failed', 'reboot', 'clock.drift', 'log.dropped', 'port.garbled', 'uart.shared', 'stall'] as const;

/** Lines read ahead to detect the capture format and guess the role (bounded: constant memory). */
const LOOKAHEAD_LINES = 200;
const TICK_US = 1_000_000;

interface PortRun {
  readonly name: string;
  readonly role: PortRole;
  readonly analysis: PortAnalysis;
  readonly parser: LineParser;
  readonly hostTimesReal: boolean;
  nextSeq: number;
  /** Host time of the last line; undefined before the first. */
  lastHostTime: HostTime | undefined;
  /** Where lines without a stamp start: the file's modification time. */
  synthBase: HostTime;
  lastTick: HostTime;
}

/**
 * `uartscope analyze FILE... [--format F] [--port NAME] [--role R] [--config FILE] [--json]
 * [--junit FILE] [--fail-on KINDS]`: the daemon's parsers and analyzers over capture files,
 * streamed line by line. Exit code: 0, 1 when a `--fail-on` kind occurred, 2 for unusable
 * input (a one-line error on stderr naming the cause).
 */
export async function runAnalyze(argv: string[], io: AnalyzeIo, options: AnalyzeOptions = {}): Promise<number> {
  const fail = async (message: string): Promise<number> => {
    await write(io.stderr, `uartscope analyze: ${message}\n`);
    return 2;
  };
  let args;
  try {
    args = parseAnalyzeArgs(argv);
  } catch (err) {
    if (err instanceof ArgsError) return fail(`${err.message}\n${ANALYZE_USAGE}`.split('\n')[0]!);
    throw err;
  }
  if (args.help) {
    await write(io.stdout, `${ANALYZE_USAGE}\n`);
    return 0;
  }
  let config: Config;
  try {
    config = args.config !== undefined ? loadConfig(args.config) : parseConfig({});
  } catch (err) {
    if (err instanceof ConfigError) return fail(`config ${err.message.split('\n').join(' ')}`);
    throw err;
  }
  const sizes: number[] = [];
  for (const file of args.files) {
    try {
      const s = await stat(file);
      if (!s.isFile()) return fail(`${file}: not a file`);
      sizes.push(s.size);
    } catch (err) {
      return fail(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }

  const collector = new ReportCollector();
  const runs = new Map<string, PortRun>();
  const sources: ReportSource[] = [];
  let eventCounter = 0;
  const portNames = assignPortNames(args.files, args.ports);

  try {
    for (const [i, file] of args.files.entries()) {
      const portName = portNames[i]!;
      const size = sizes[i]!;
      const progress = io.stderrIsTTY ? progressBar(io.stderr, file, size) : undefined;
      const lines = captureFileLines(file, progress);
      const ahead: Buffer[] = [];
      const decoder = new TextDecoder('utf-8', { fatal: false });
      for (;;) {
        if (ahead.length >= LOOKAHEAD_LINES) break;
        const next = await lines.next();
        if (next.done) break;
        ahead.push(Buffer.from(next.value));
      }
      const aheadText = ahead.map((b) => decoder.decode(b));
      const format: CaptureFormat = args.format ?? detectCaptureFormat(aheadText);
      const reader = createCaptureReader(format);
      let run = runs.get(portName);
      if (!run) {
        const preview = createCaptureReader(format);
        const role = args.role ?? config.ports.find((p) => p.name === portName)?.role ?? guessRole(aheadText.map((l) => preview(l)?.text ?? ''));
        const hostTimesReal = format !== 'plain';
        run = {
          name: portName,
          role,
          hostTimesReal,
          parser: createLineParser(parserOptions(role, config)),
          analysis: createPortAnalysis({
            port: portName,
            role,
            config,
            // Drift compares device time with host time: made-up host times would give made-up fits.
            publish: hostTimesReal ? collector.publish : (m) => {
              if (m.type === 'drift' || (m.type === 'event' && m.event.kind === 'clock.drift')) return;
              collector.publish(m);
            },
            extraAnalyzers: options.extraAnalyzers?.(portName, role, config) ?? [],
            nextEventId: () => `e${++eventCounter}`,
            hostTimesReal,
          }),
          nextSeq: 0,
          lastHostTime: undefined,
          synthBase: 0,
          lastTick: 0,
        };
        runs.set(portName, run);
      }
      if (run.lastHostTime === undefined) run.synthBase = Math.round((await stat(file)).mtimeMs * 1000);
      const source: Mutable<ReportSource> = { file, port: portName, role: run.role, format, lines: 0, bytes: 0, hostTimes: format === 'plain' ? 'none' : 'real' };
      const feed = (raw: string, byteLength: number, rawBytes: Buffer): void => {
        source.bytes += byteLength + 1;
        const cl = reader(raw);
        if (cl === null) return;
        if (cl.marker !== undefined) {
          statusFromMarker(run, cl, format);
          return;
        }
        const line = toLine(run, cl, format === 'plain' ? rawBytes : undefined);
        if (source.lines === 0 && format !== 'plain') source.hostTimes = cl.hostTime === undefined ? 'none' : cl.hostTimeRelative ? 'relative' : 'real';
        source.lines++;
        if (run.hostTimesReal && line.hostTime - run.lastTick >= TICK_US) {
          if (run.lastTick !== 0) run.analysis.onTick(line.hostTime);
          run.lastTick = line.hostTime;
        }
        collector.line(line);
        run.analysis.onLine(line);
        for (const record of run.parser.push(line)) {
          collector.record(record);
          run.analysis.onRecord(record);
        }
      };
      for (const [k, buf] of ahead.entries()) feed(aheadText[k]!, buf.length, buf);
      ahead.length = 0;
      aheadText.length = 0;
      for await (const buf of { [Symbol.asyncIterator]: () => lines }) feed(decoder.decode(buf), buf.length, buf);
      if (io.stderrIsTTY) await write(io.stderr, '\r\x1b[K');
      sources.push(source);
    }
  } catch (err) {
    return fail(`cannot read input: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }

  for (const run of runs.values()) {
    for (const record of run.parser.flush()) {
      collector.record(record);
      run.analysis.onRecord(record);
    }
    run.analysis.end(run.lastHostTime ?? run.synthBase);
  }

  const wifi = [...runs.values()].flatMap((r) => r.analysis.wifi());
  const report: AnalyzeReport = collector.report(sources, wifi);
  if (args.json) await write(io.stdout, `${JSON.stringify(report, null, 2)}\n`);
  else {
    const real = new Set([...runs.values()].filter((r) => r.hostTimesReal).map((r) => r.name));
    await write(io.stdout, renderTextReport(report, (id) => collector.linesOf(id), real));
  }

  if (args.junit !== undefined) {
    const kinds = args.failOn.length > 0 ? args.failOn : [...DEFAULT_CHECK_KINDS];
    const xml = renderJunit({ name: 'uartscope analyze', cases: checksFromEvents(kinds, report.events, `uartscope.${sources.map((s) => s.port).join('+')}`) });
    try {
      await writeFile(args.junit, xml);
    } catch (err) {
      return fail(`${args.junit}: cannot write JUnit file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const failed = args.failOn.some((k) => report.events.some((e) => e.kind === k && e.state !== 'cleared'));
  return failed ? 1 : 0;
}

/** `--port` names in file order (the last one repeats: rotated files of one port); else each file's base name. */
function assignPortNames(files: readonly string[], ports: readonly string[]): string[] {
  const used = new Map<string, number>();
  return files.map((file, i) => {
    const given = ports[i] ?? ports[ports.length - 1];
    if (given !== undefined) return given;
    const base = basename(file).replace(/\.[^.]*$/, '').replace(/\.(?:tio|log|txt|cap)$/, '').replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'port';
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

// Control bytes other than TAB/ESC, DEL, and U+FFFD (bytes that were not UTF-8): what the
// framer counts as non-text (daemon/framing/line-framer.ts).
// eslint-disable-next-line no-control-regex
const NON_TEXT = /[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f\ufffd]/g;

function toLine(run: PortRun, cl: CaptureLine, rawBytes: Buffer | undefined): Line {
  // Lines without a stamp (plain text, continuation lines) take the previous time + 1 µs; a
  // stamp that steps back is held at the previous one: host time never goes back.
  const last = run.lastHostTime;
  const hostTime = cl.hostTime === undefined ? (last === undefined ? run.synthBase : last + 1) : last === undefined || cl.hostTime >= last ? cl.hostTime : last;
  run.lastHostTime = hostTime;
  const seq = cl.seq ?? run.nextSeq;
  run.nextSeq = seq + 1;
  const raw = cl.text;
  const hasEsc = raw.includes('\x1b');
  const text = hasEsc ? stripAnsi(raw) : raw;
  const nonText = text.match(NON_TEXT)?.length ?? 0;
  const crlf = rawBytes !== undefined && rawBytes.length > 0 && rawBytes[rawBytes.length - 1] === 13;
  const bytes = cl.bytes ?? (rawBytes !== undefined ? Buffer.concat([rawBytes, Buffer.of(10)]) : Buffer.from(`${raw}\n`, 'utf8'));
  return {
    port: run.name,
    seq,
    hostTime,
    bytes,
    terminator: crlf ? 'crlf' : 'lf',
    text,
    ...(hasEsc ? { ansi: raw } : {}),
    nonTextBytes: nonText,
    flags: { partial: false, truncated: false },
  };
}

/** uartscope capture markers of the source's status (`disconnected`, `connected`…) → port status. */
function statusFromMarker(run: PortRun, cl: CaptureLine, format: CaptureFormat): void {
  if (format !== 'uartscope' || cl.hostTime === undefined) return;
  const m = cl.marker ?? '';
  const state: PortState | undefined = m === 'disconnected' || m === 'retrying' ? 'retrying' : m === 'connected' || m === 'reconnected' ? 'connected' : undefined;
  if (!state) return;
  run.analysis.onStatus({ port: run.name, state, hostTime: cl.hostTime, ...(cl.text ? { reason: cl.text } : {}) });
}

function progressBar(stderr: NodeJS.WritableStream, file: string, size: number): (bytesRead: number) => void {
  let lastPct = -1;
  const name = basename(file);
  return (bytesRead) => {
    const pct = size > 0 ? Math.min(100, Math.floor((bytesRead * 100) / size)) : 100;
    if (pct === lastPct) return;
    lastPct = pct;
    const filled = Math.round(pct / 5);
    stderr.write(`\r${name} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${pct}% of ${(size / 1e6).toFixed(1)} MB`);
  };
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.write(text)) stream.once('drain', () => resolve());
    else resolve();
  });
}
