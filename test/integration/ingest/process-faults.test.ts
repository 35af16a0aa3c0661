import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyDevice, waitFor, type PtyDevice } from '../../helpers/pty-device.ts';
import { captureLines, readCapture } from '../../helpers/read-capture.ts';
import { startCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const devices: PtyDevice[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.unplug().catch(() => {});
});

describe('the daemon as a process', () => {
  it('loses at most the last flush interval when killed with SIGKILL mid-stream', async () => {
    const dir = tempDir();
    const dev = await startPtyDevice(join(dir, 'tty'));
    devices.push(dev);
    const run = startCli(['run', '--port', `console=${dev.link},role=zephyr`, '--data', join(dir, 'data'), '--quiet', '--no-http', '--no-metrics']);
    await waitFor(() => run.stdout.includes('watching'), 20_000);
    // Bytes a device sends before the port is open are flushed by the open (tcflush in the binding),
    // as with any serial monitor: start once the capture says the port is open.
    await waitFor(() => readCapture(join(dir, 'data'), 'console').some((e) => e.kind === 'marker' && e.marker === 'open'), 20_000);
    // A steady stream: one numbered line per ms; remember when each write completed.
    const written: Array<{ n: number; at: number }> = [];
    let n = 0;
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      await dev.write(`[00:00:00.000,000] <inf> main: line ${n}\r\n`);
      written.push({ n, at: Date.now() });
      n++;
      await new Promise((r) => setTimeout(r, 1));
    }
    const killedAt = Date.now();
    run.child.kill('SIGKILL');
    await run.exited;
    const lines = captureLines(readCapture(join(dir, 'data'), 'console'));
    const numbers = lines.map((l) => Number(/line (\d+)/.exec(Buffer.from(l.bytes).toString())?.[1]));
    // What is on disk is a gapless prefix of what was sent, seq and content alike.
    expect(numbers).toEqual(numbers.map((_, i) => i));
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
    // Everything written more than flush interval (100 ms) + a scheduling margin (200 ms) before the kill is there.
    const mustHave = written.filter((w) => w.at < killedAt - 300).length;
    expect(numbers.length).toBeGreaterThanOrEqual(mustHave);
    expect(mustHave).toBeGreaterThan(100);
  });

  it('names a port it has no permission to open, and keeps reading the others', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const denied = await startPtyDevice(join(dir, 'denied'));
    const open = await startPtyDevice(join(dir, 'open'));
    devices.push(denied, open);
    // Run as "nobody": root can open anything, an unprivileged user cannot open a pty slave it does not own.
    chownSync(open.slave, 65534, 65534);
    const data = join(dir, 'data');
    mkdirSync(data);
    chownSync(data, 65534, 65534);
    const home = join(dir, 'home');
    mkdirSync(home);
    chownSync(home, 65534, 65534);
    const run = startCli(['run', '--port', `denied=${denied.link}`, '--port', `open=${open.link}`, '--data', data, '--no-http', '--no-metrics', '--duration', '3'], {
      uid: 65534, gid: 65534, env: { HOME: home, TMPDIR: home },
    });
    expect(await waitFor(() => run.stderr.includes('port denied'), 20_000)).toBe(true);
    await waitFor(() => run.stdout.includes('watching'), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    await open.write('from the port that opened\r\n');
    expect(await run.exited).toBe(0);
    expect(run.stderr).toMatch(/port denied \(.*denied\): permission denied \(EACCES\)/);
    expect(run.stdout).toContain('│ from the port that opened');
  });
});
