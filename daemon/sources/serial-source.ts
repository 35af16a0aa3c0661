import { closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { HostClock } from '../core/host-time.ts';
import type { UsbMatch } from '../config/sections/ports.ts';
import { backoffMs, stateReporter, type Source, type SourceItem } from './source.ts';
import type { SerialOpener } from './serial-opener.ts';
import { deviceStream } from './device-stream.ts';

export interface SerialSourceOptions {
  readonly port: string;
  /** Device path, or undefined when the port is found by USB identity. */
  readonly path?: string;
  readonly usb?: UsbMatch;
  readonly baud: number;
  readonly clock: HostClock;
  /** Finds, opens and configures the device (on the main thread; see serial-opener.ts). */
  readonly open: SerialOpener;
}

/**
 * A serial device (also a pseudo terminal): opened through the `serialport` binding, read as a
 * libuv stream on the reading thread (device-stream.ts), so a chunk is stamped in the same loop
 * turn that `read(2)` returned it. Missing at start, unplugged (the read ends: EOF, or EIO when a pty's other side
 * closed, which libuv reports as end of stream), or failing to open (permission, busy): retried
 * with backoff forever, each state change reported, the host time base untouched. With a USB
 * match the path is looked up again before every attempt, so a board keeps its name when the
 * kernel renumbers it after a replug.
 */
export function serialSource(options: SerialSourceOptions): Source {
  let current: Socket | undefined;
  const items$ = new Observable<SourceItem>((sub) => {
    let stopped = false;
    let attempt = 0;
    let timer: NodeJS.Timeout | undefined;
    const report = stateReporter(sub, options.clock);

    const retry = (reason: string) => {
      if (stopped) return;
      current = undefined;
      report.retrying(reason);
      timer = setTimeout(() => void attemptOpen(), backoffMs(attempt++));
    };

    const attemptOpen = async () => {
      if (stopped) return;
      const opened = await options.open({ port: options.port, baud: options.baud, ...(options.path !== undefined ? { path: options.path } : {}), ...(options.usb ? { usb: options.usb } : {}) });
      if (!opened.ok) return retry(opened.reason);
      if (stopped) return closeSync(opened.fd);
      let stream: Socket;
      try {
        stream = deviceStream(opened.fd, (bytes) => sub.next({ type: 'data', bytes, at: options.clock.now() }));
      } catch (err) {
        closeSync(opened.fd);
        return retry(`port ${options.port} (${opened.path}): cannot be read as a terminal: ${(err as Error).message}`);
      }
      current = stream;
      attempt = 0;
      report.connected(opened.path);
      let failure = '';
      stream.on('error', (err: NodeJS.ErrnoException) => { failure = err.code ?? err.message; });
      // A stream that ends or fails is closed by Node (autoDestroy), which closes the descriptor.
      stream.on('close', () => {
        if (current === stream) current = undefined;
        if (stopped) return;
        retry(`port ${options.port} (${opened.path}): disconnected${failure ? ` (${failure})` : ''}`);
      });
    };

    void attemptOpen();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      current?.destroy();
      current = undefined;
    };
  });
  return {
    kind: 'serial',
    items$,
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (!current || current.destroyed) return reject(new Error(`port ${options.port} is not open`));
        current.write(bytes, (err) => (err ? reject(err) : resolve()));
      }),
  };
}
