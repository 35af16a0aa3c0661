import { autoDetect } from '@serialport/bindings-cpp';
import type { UsbMatch } from '../config/sections/ports.ts';
import { describeOpenError } from './open-error.ts';
import { findUsbPort } from './usb-ports.ts';

export interface SerialOpenRequest {
  readonly port: string;
  /** Device path, or undefined when the port is found by USB identity. */
  readonly path?: string;
  readonly usb?: UsbMatch;
  readonly baud: number;
}

export type SerialOpenResult =
  | { readonly ok: true; readonly fd: number; readonly path: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Finds and opens a serial device, configured (baud, 8N1, raw) and locked, and hands over its
 * file descriptor. The caller reads it with a libuv stream (device-stream.ts), possibly on
 * another thread; a worker thread can read a descriptor the main thread opened, because
 * descriptors belong to the process.
 */
export type SerialOpener = (request: SerialOpenRequest) => Promise<SerialOpenResult>;

const Binding = autoDetect();

interface UnixBinding {
  readonly fd: number | null;
  readonly poller?: { stop(): void; destroy(): void };
}

/**
 * The opener on the calling thread, through `@serialport/bindings-cpp` (termios and `flock`,
 * `src/serialport_unix.cpp`). Must run on the main thread: the binding creates a `uv_poll`
 * handle for every port it opens on the default loop, which aborts the process when touched
 * from a worker ("HandleScope … without proper locking", seen with Node 20.20). That poller
 * is closed at once: reading goes through one libuv stream read per readable event instead of
 * the binding's poll-then-thread-pool `read(2)` (`dist/unix-read.js`), which was the largest
 * cost of a 16-port load and delayed every chunk by a thread-pool round trip.
 */
export const openSerialDevice: SerialOpener = async (request) => {
  let path = request.path;
  if (request.usb) {
    try {
      path = await findUsbPort(request.usb);
    } catch (err) {
      return { ok: false, reason: `port ${request.port}: listing USB serial ports failed: ${(err as Error).message}` };
    }
    if (!path) return { ok: false, reason: `port ${request.port}: no USB serial device matches ${JSON.stringify(request.usb)}; retrying` };
  }
  if (!path) return { ok: false, reason: `port ${request.port}: no device path` };
  try {
    // Linux and macOS bindings both keep `fd` and `poller` (dist/linux.d.ts, dist/darwin.d.ts).
    const binding = (await Binding.open({ path, baudRate: request.baud, lock: true })) as unknown as UnixBinding;
    binding.poller?.stop();
    binding.poller?.destroy();
    const fd = binding.fd;
    if (fd === null) return { ok: false, reason: `port ${request.port} (${path}): closed while opening` };
    return { ok: true, fd, path };
  } catch (err) {
    return { ok: false, reason: describeOpenError(request.port, path, err as Error) };
  }
};
