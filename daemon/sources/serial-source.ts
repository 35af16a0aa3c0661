import { Observable } from 'rxjs';
import { SerialPort } from 'serialport';
import type { HostClock } from '../core/host-time.ts';
import type { UsbMatch } from '../config/sections/ports.ts';
import { backoffMs, stateReporter, type Source, type SourceItem } from './source.ts';
import { describeOpenError } from './open-error.ts';
import { findUsbPort } from './usb-ports.ts';

export interface SerialSourceOptions {
  readonly port: string;
  /** Device path, or undefined when the port is found by USB identity. */
  readonly path?: string;
  readonly usb?: UsbMatch;
  readonly baud: number;
  readonly clock: HostClock;
}

/**
 * A serial device through the real `serialport` binding (also for pseudo terminals).
 * Missing at start, unplugged (`close` with `err.disconnected`), or failing to open
 * (permission, busy): retried with backoff forever, each state change reported, the host
 * time base untouched. With a USB match the path is looked up again before every
 * attempt, so a board keeps its name when the kernel renumbers it after a replug.
 */
export function serialSource(options: SerialSourceOptions): Source {
  let current: SerialPort | undefined;
  const items$ = new Observable<SourceItem>((sub) => {
    let stopped = false;
    let attempt = 0;
    let timer: NodeJS.Timeout | undefined;
    const report = stateReporter(sub, options.clock);

    const retry = (reason: string) => {
      if (stopped) return;
      current = undefined;
      report.retrying(reason);
      timer = setTimeout(attemptOpen, backoffMs(attempt++));
    };

    const attemptOpen = async () => {
      if (stopped) return;
      let path = options.path;
      if (options.usb) {
        try {
          path = await findUsbPort(options.usb);
        } catch (err) {
          return retry(`port ${options.port}: listing USB serial ports failed: ${(err as Error).message}`);
        }
        if (!path) return retry(`port ${options.port}: no USB serial device matches ${JSON.stringify(options.usb)}; retrying`);
      }
      if (!path || stopped) return;
      const devicePath = path;
      const sp = new SerialPort({ path: devicePath, baudRate: options.baud, autoOpen: false });
      sp.open((err) => {
        if (stopped) {
          if (!err) sp.close();
          return;
        }
        if (err) return retry(describeOpenError(options.port, devicePath, err));
        current = sp;
        attempt = 0;
        report.connected(devicePath);
      });
      sp.on('data', (bytes: Buffer) => sub.next({ type: 'data', bytes, at: options.clock.now() }));
      sp.on('error', () => {
        // Errors while open also end in `close`; the open callback reports open errors.
      });
      sp.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
        if (stopped) return;
        const why = err?.disconnected ? 'disconnected' : err ? `closed: ${err.message}` : 'closed';
        retry(`port ${options.port} (${devicePath}): ${why}`);
      });
    };

    void attemptOpen();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (current?.isOpen) current.close();
      current = undefined;
    };
  });
  return {
    kind: 'serial',
    items$,
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (!current?.isOpen) return reject(new Error(`port ${options.port} is not open`));
        current.write(Buffer.from(bytes), (err) => (err ? reject(err) : current!.drain(() => resolve())));
      }),
  };
}
