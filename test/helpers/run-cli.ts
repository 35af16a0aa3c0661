import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/uartscope.js', import.meta.url));

export interface CliRun {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

/** Starts `uartscope ARGS` as a real process. */
export function startCli(args: string[], options: SpawnOptions = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options, env: { ...process.env, NO_COLOR: '1', ...options.env } });
  const run: CliRun = {
    child, stdout: '', stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (d: Buffer) => { run.stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { run.stderr += d.toString(); });
  return run;
}

/** Runs `uartscope ARGS` to the end. */
export async function runCli(args: string[], options: SpawnOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(args, options);
  const code = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr };
}
