import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runSimCommand } from '../../../daemon/sim/sim-command.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'uartscope-simcmd-test-'));
  dirs.push(dir);
  return dir;
}

function captureIo(): { io: Parameters<typeof runSimCommand>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    out: () => out,
    err: () => err,
  };
}

describe('uartscope sim', () => {
  it('prints the three links, runs for --duration, then unplugs and exits 0', async () => {
    const dir = tempDir();
    const { io, out } = captureIo();
    const code = await runSimCommand(['--scenario', 'healthy', '--dir', dir, '--duration', '0.5'], io);
    expect(code).toBe(0);
    for (const u of ['hv', 'console', 'esp']) expect(out()).toMatch(new RegExp(`${u} +${join(dir, u)} -> /dev/pts/\\d+`));
    expect(out()).toContain('unplugged');
    for (const u of ['hv', 'console', 'esp']) expect(existsSync(join(dir, u))).toBe(false);
  });

  it('refuses an unknown scenario with exit code 2 and names the choices', async () => {
    const { io, err } = captureIo();
    expect(await runSimCommand(['--scenario', 'nope'], io)).toBe(2);
    expect(err()).toContain('unknown scenario "nope"');
    expect(err()).toContain('shared-uart');
  });

  it('refuses a duration that is not a positive number', async () => {
    const { io, err } = captureIo();
    expect(await runSimCommand(['--duration', 'soon'], io)).toBe(2);
    expect(err()).toContain('--duration');
  });

  it('stops on SIGTERM in a real process, removing its links', async () => {
    const dir = tempDir();
    const entry = fileURLToPath(new URL('../../../daemon/sim/sim-command.ts', import.meta.url));
    const script =
      `import(${JSON.stringify(entry)}).then((m) => m.runSimCommand(process.argv.slice(1), process))` +
      `.then((code) => { process.exitCode = code; });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, '--', '--scenario', 'seed', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const end = performance.now() + 20_000;
      while (!out.includes('Ctrl-C unplugs') && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(out).toContain(`${join(dir, 'console')} -> /dev/pts/`);
      expect(existsSync(join(dir, 'console'))).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('unplugged');
      expect(existsSync(join(dir, 'console'))).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  });
});
