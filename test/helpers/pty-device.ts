import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HELPER = fileURLToPath(new URL('../../daemon/sim/pty-helper.py', import.meta.url));

/** A fake serial device on a real pseudo terminal (daemon/sim/pty-helper.py). */
export interface PtyDevice {
  readonly link: string;
  readonly slave: string;
  /** What the app wrote to the device. */
  readonly received: Buffer[];
  write(data: string | Uint8Array): Promise<void>;
  /** Ends the device: the link disappears, a reader gets `close` with `disconnected`. */
  unplug(): Promise<void>;
}

export async function startPtyDevice(link: string): Promise<PtyDevice> {
  const child: ChildProcess = spawn('python3', ['-u', HELPER, link], { stdio: ['pipe', 'pipe', 'inherit'] });
  const received: Buffer[] = [];
  const slave = await new Promise<string>((resolve, reject) => {
    let first = '';
    const onData = (d: Buffer) => {
      if (first.includes('\n')) { received.push(d); return; }
      first += d.toString('latin1');
      const nl = first.indexOf('\n');
      if (nl >= 0) {
        const rest = first.slice(nl + 1);
        if (rest) received.push(Buffer.from(rest, 'latin1'));
        resolve(first.slice(0, nl));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`pty helper exited (${code}) before it was ready`)));
  });
  while (!existsSync(link)) await new Promise((r) => setTimeout(r, 5));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    link, slave, received,
    write: (data) => new Promise((resolve, reject) => child.stdin!.write(data, (err) => (err ? reject(err) : resolve()))),
    unplug: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

/** Polls `predicate` until it holds (or gives up after `ms`, returning false). */
export async function waitFor(predicate: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
