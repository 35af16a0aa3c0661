// Runs the real `runAnalyze` with in-memory stdout/stderr and collects what it wrote.
import { PassThrough } from 'node:stream';
import type { RecordAnalyzer } from '../../../daemon/analyzers/record-analyzer.ts';
import type { PortRole } from '../../../daemon/core/port-role.ts';
import type { Config } from '../../../daemon/config/schema.ts';
import { runAnalyze } from '../../../daemon/analyze/analyze-command.ts';

export const SEED = '/work/shared/fixtures/seed';
export const WIFI_SEED = `${SEED}/wifi-app-esp-reset-failure.log`;
export const TIMER_SEED = `${SEED}/timer-test-8x-slow.tio.log`;

export interface AnalyzeResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function analyze(
  argv: string[],
  opts: { stderrIsTTY?: boolean; extraAnalyzers?: (port: string, role: PortRole, config: Config) => RecordAnalyzer[] } = {},
): Promise<AnalyzeResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runAnalyze(argv, { stdout, stderr, stderrIsTTY: opts.stderrIsTTY ?? false }, opts.extraAnalyzers ? { extraAnalyzers: opts.extraAnalyzers } : {});
  stdout.end();
  stderr.end();
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
