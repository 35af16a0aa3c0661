import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { scenarioWrites, type ScenarioChoice } from './scenario-catalog.ts';
import { scheduleWrites } from './sim-schedule.ts';
import { UART_NAMES, type UartName } from './sim-uart.ts';

export { SCENARIO_NAMES, isScenarioChoice, type ScenarioChoice, type ScenarioName } from './scenario-catalog.ts';
export { UART_NAMES, SIM_UARTS, type UartName } from './sim-uart.ts';
export { simStream } from './sim-stream.ts';

const HELPER = fileURLToPath(new URL('./pty-helper.py', import.meta.url));
/**
 * A UART that nobody reads loses data (DESIGN.md, "source"). Past this much unsent data for one
 * port (the pty's buffer is full because nobody has it open), new writes are dropped and counted
 * instead of piling up in this process.
 */
const MAX_PENDING_BYTES = 1 << 20;

export interface SimBoardOptions<U extends UartName> {
  /** Where the links `<dir>/hv`, `<dir>/console`, `<dir>/esp` are made (created if missing). */
  readonly dir: string;
  /** A scenario name, or `cycle` (the default): all scenarios in turn, starting with the seed. */
  readonly scenario?: ScenarioChoice;
  /** Which UARTs get a pty (default all three). */
  readonly uarts?: readonly U[];
  /** Plays the script this many times faster than real time (default 1). Tests use it. */
  readonly speed?: number;
  /**
   * When the script's time 0 is: `first-open` (default) when the first reader opens a link (the
   * helper sees its termios change, as serialport/picocom/tio set the port up on open), or
   * `startTimeoutMs` after the links exist if nobody does; `links` as soon as the links exist.
   * A reader that opens a port after bytes were sent never gets them: serialport flushes the
   * tty's input on open, like a UART that was not listened to.
   */
  readonly startOn?: 'first-open' | 'links';
  /** With `first-open`, start anyway after this long (default 5000 ms; Infinity waits for a reader). */
  readonly startTimeoutMs?: number;
  /**
   * Extra wait after the start trigger (default 300 ms with `first-open`, so the other ports a
   * monitor opens a moment later are listening too; 0 with `links`).
   */
  readonly delayMs?: number;
  /**
   * Like a real UART, lose what nobody reads (default true): bytes sent while no reader has the
   * port open are dropped once the pty's buffer is full, instead of arriving as a stale burst
   * when a reader opens it later. False makes writes wait for the reader (nothing lost).
   */
  readonly overrun?: boolean;
  /** The python3 to run the pty helper with (default `python3`). */
  readonly python?: string;
}

export interface SimBoard<U extends UartName> {
  /** The symlink per UART (what a monitor opens). */
  readonly links: Record<U, string>;
  /** The pty slave each link points at (`/dev/pts/N`). */
  readonly devices: Record<U, string>;
  /**
   * Bytes this process dropped per UART because its helper fell more than 1 MiB behind (only
   * with `overrun: false` and nobody reading; with overrun the helper drops what the pty cannot
   * take, as a UART would, and that is not counted).
   */
  dropped(): Record<U, number>;
  /** The UARTs a reader has opened (configured) so far. */
  opened(): U[];
  /** Script time (host ms, before `speed`) of the last write sent; 0 before the first. */
  position(): number;
  /** Resolves when the script has ended (a finite scenario) or the board was stopped. */
  readonly finished: Promise<void>;
  /** Unplugs every UART (the helpers close their masters and remove the links) and cleans up. */
  stop(): Promise<void>;
}

interface Port {
  readonly uart: UartName;
  readonly link: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  device: string;
  dropped: number;
  opened: boolean;
}

/**
 * The simulated board on real pseudo terminals: one `pty-helper.py` per UART (toolchain.md §1:
 * it keeps the slave open so no early bytes are lost, and EOF on its stdin is an unplug), fed
 * with the scenario's writes at their real times. Resolves once every link exists.
 */
export async function startSimBoard<U extends UartName = UartName>(options: SimBoardOptions<U>): Promise<SimBoard<U>> {
  const uarts = (options.uarts ?? UART_NAMES) as readonly U[];
  const speed = options.speed ?? 1;
  // Checked here, not in the player: a bad value must reject this call, not the background loop.
  if (!(speed > 0 && Number.isFinite(speed))) throw new RangeError(`speed must be a finite number > 0, got ${speed}`);
  const createdDir = !existsSync(options.dir);
  mkdirSync(options.dir, { recursive: true });

  const ports = new Map<UartName, Port>();
  const abort = new AbortController();
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      abort.abort();
      await finished.catch(() => undefined);
      await Promise.all([...ports.values()].map(unplug));
      if (createdDir) {
        try {
          rmdirSync(options.dir);
        } catch {
          // not empty: something else lives there now; leave it
        }
      }
    })();
    return stopping;
  };

  let finished: Promise<void> = Promise.resolve();
  let position = 0;
  const startOn = options.startOn ?? 'first-open';
  let onFirstOpen: () => void = () => undefined;
  const firstOpen = new Promise<void>((resolve) => (onFirstOpen = resolve));
  const helperFlags = [...((options.overrun ?? true) ? ['--overrun'] : []), ...(startOn === 'first-open' ? ['--notify-open'] : [])];
  const started = await Promise.allSettled(
    uarts.map((u) => plug(u, join(options.dir, u), options.python ?? 'python3', helperFlags, () => onFirstOpen())),
  );
  for (const r of started) if (r.status === 'fulfilled') ports.set(r.value.uart, r.value);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // A helper that failed half-way was cleaned by plug(); unplug the ones that did start.
    await stop();
    throw failed.reason;
  }

  finished = (async () => {
    if (startOn === 'first-open') {
      try {
        const timeout = options.startTimeoutMs ?? 5000;
        // Node fires timers beyond 2^31-1 ms at once; a longer wait is a wait for the reader only.
        const fallback = timeout < 2 ** 31 - 1 ? sleep(timeout, undefined, { signal: abort.signal }) : aborted(abort.signal);
        await Promise.race([firstOpen, fallback]);
      } catch {
        return; // stopped before it started
      }
    }
    const writes = scenarioWrites(options.scenario ?? 'cycle');
    const schedule = scheduleWrites(writes, {
      speed,
      delayMs: options.delayMs ?? (startOn === 'first-open' ? 300 : 0),
      signal: abort.signal,
    });
    for await (const batch of schedule) {
      position = batch.at(-1)?.atMs ?? position;
      for (const w of batch) {
        const port = ports.get(w.uart);
        if (!port) continue;
        const stdin = port.child.stdin;
        if (!stdin || stdin.destroyed || stdin.writableEnded) continue;
        if (stdin.writableLength > MAX_PENDING_BYTES) {
          port.dropped += w.bytes.length;
          continue;
        }
        stdin.write(w.bytes);
      }
    }
  })();

  const links = {} as Record<U, string>;
  const devices = {} as Record<U, string>;
  for (const u of uarts) {
    const p = ports.get(u) as Port;
    links[u] = p.link;
    devices[u] = p.device;
  }
  return {
    links,
    devices,
    dropped: () => {
      const out = {} as Record<U, number>;
      for (const u of uarts) out[u] = ports.get(u)?.dropped ?? 0;
      return out;
    },
    opened: () => uarts.filter((u) => ports.get(u)?.opened),
    position: () => position,
    finished,
    stop,
  };
}

/** Rejects when the signal aborts (never resolves). */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Starts one helper and waits for the slave path it prints once the link exists. */
async function plug(uart: UartName, link: string, python: string, flags: readonly string[], onOpen: () => void): Promise<Port> {
  // In a process group of its own: a SIGTERM or Ctrl-C meant for the demo must not unplug the board
  // while the daemon (reading on its own thread) is still watching, which showed as three
  // `port.disconnected` events at every stop. The demo unplugs the board itself after the daemon
  // stopped, and a helper whose parent died sees EOF on stdin and unplugs (pty-helper.py).
  const child = spawn(python, ['-u', HELPER, link, ...flags], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // A helper that died takes its pipe with it; writes then fail with EPIPE, which is an unplug, not a crash.
  child.stdin?.on('error', () => undefined);
  let stderr = '';
  const port: Port = { uart, link, child, exited, device: '', dropped: 0, opened: false };
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    // `open` alone on a line is the helper's --notify-open; anything else is an error message.
    if (!port.opened && /(^|\n)open\n/.test(stderr + d)) {
      port.opened = true;
      onOpen();
      d = (stderr + d).replace(/(^|\n)open\n/, '$1').slice(stderr.length);
    }
    if (stderr.length < 4096) stderr += d;
  });
  try {
    port.device = await new Promise<string>((resolve, reject) => {
      let head = '';
      const onData = (d: Buffer): void => {
        head += d.toString('latin1');
        const nl = head.indexOf('\n');
        if (nl < 0) return;
        child.stdout?.off('data', onData);
        // From here on stdout carries what the monitor writes to the "device"; it must be
        // drained or the helper blocks. The simulated board does not answer it.
        child.stdout?.resume();
        resolve(head.slice(0, nl).trim());
      };
      child.stdout?.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`pty helper for ${uart} exited (${code ?? signal}) before making ${link}: ${stderr.trim()}`)),
      );
    });
  } catch (err) {
    await unplug(port);
    throw err;
  }
  if (!existsSync(link)) {
    await unplug(port);
    throw new Error(`pty helper for ${uart} printed ${port.device} but ${link} does not exist`);
  }
  return port;
}

/** EOF on the helper's stdin is an unplug; if it does not go, SIGTERM (also an unplug), then SIGKILL. */
async function unplug(port: Port): Promise<void> {
  const { child } = port;
  const gone = (ms: number): Promise<boolean> =>
    Promise.race([port.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  if (child.exitCode === null && child.signalCode === null) {
    child.stdin?.end();
    if (!(await gone(2000))) {
      child.kill('SIGTERM');
      if (!(await gone(2000))) {
        child.kill('SIGKILL');
        await gone(2000);
      }
    }
  }
  // SIGKILL leaves the link behind (toolchain.md §1); a stale link would look like a device.
  try {
    unlinkSync(port.link);
  } catch {
    // already removed by the helper
  }
}
