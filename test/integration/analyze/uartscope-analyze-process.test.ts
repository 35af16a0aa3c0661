import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { AnalyzeReport } from '../../../daemon/analyze/analyze-report.ts';
import { TIMER_SEED, WIFI_SEED } from './analyze-harness.ts';
import { reportProblems } from './report-shape.ts';

// The installed command in its own process, as a CI job runs it.
function uartscope(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/uartscope.js', 'analyze', ...args], { encoding: 'utf8', cwd: new URL('../../../', import.meta.url).pathname, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the uartscope analyze command in a real process', () => {
  it('prints the report and exits 1 when a --fail-on kind occurred', () => {
    const r = uartscope([WIFI_SEED, TIMER_SEED, '--json', '--fail-on', 'esp.reset_failed']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as AnalyzeReport;
    expect(reportProblems(report)).toEqual([]);
    expect(report.sources.map((s) => s.hostTimes)).toEqual(['none', 'real']);
    // Drift only where the capture carried host times: the 8x slow clock of the timer test.
    expect(report.drift.map((d) => d.port)).toEqual(['timer-test-8x-slow']);
  });

  it('exits 0 when the --fail-on kinds did not occur, and 2 for a missing file', () => {
    expect(uartscope([WIFI_SEED, '--fail-on', 'fault']).status).toBe(0);
    const missing = uartscope(['/nonexistent/capture.log']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe('uartscope analyze: /nonexistent/capture.log: cannot read (ENOENT)');
  });
});
