#!/usr/bin/env node
// Runs every test (typecheck, dashboard build, vitest incl. real ptys, Chromium, Prometheus)
// and ends with the one line CI reads: `N passed, N failed`, computed from vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const report = '.vitest-report.json';
let failedSteps = 0;
function step(title, cmd, args) {
  console.log(`\n== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) { failedSteps++; console.log(`== ${title} FAILED (exit ${r.status})`); }
  return r.status === 0;
}

step('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
step('dashboard build', process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn']);
rmSync(report, { force: true });
const vitestOk = step('vitest', process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...process.argv.slice(2)]);

// vitest's own failure is counted through its report; without a report, the run itself failed.
if (!vitestOk) failedSteps--;
let passed = 0;
let failed = 0;
if (!existsSync(report)) failed++;
else {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  // A test file that fails to load has no test results but is a failure all the same.
  for (const f of r.testResults ?? []) if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed++;
}
failed += failedSteps;
writeFileSync('.test-summary.json', JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
