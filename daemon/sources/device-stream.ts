import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { ReadStream } from 'node:tty';

interface PipeHandle {
  open(fd: number): number;
  readonly fd: number;
}
interface PipeWrap {
  Pipe: new (type: number) => PipeHandle;
  constants: { SOCKET: number };
}

function pipeWrap(): PipeWrap | undefined {
  try {
    // Node's own binding behind net.Socket for pipes; process.binding keeps it reachable (DEP0111 is
    // documentation-only in Node 20 and 22, and pipe_wrap is on its allow list).
    return (process as unknown as { binding(name: string): PipeWrap }).binding('pipe_wrap');
  } catch {
    return undefined;
  }
}

/**
 * A stream over an already open and configured serial descriptor: libuv reads it with `read(2)`
 * when epoll says it is readable, on the thread that created the stream, and writes go to it.
 * The stream owns the descriptor: destroying it closes it. `onChunk` gets each read's bytes in a
 * buffer that is reused by the next read: it must copy what it keeps (the framer does).
 *
 * Why not `tty.ReadStream(fd)`: libuv's `uv_tty_init` reopens every terminal that is not a pty
 * master through its `ttyname` (libuv src/unix/tty.c, `uv__tty_is_slave` is "TIOCGPTN fails",
 * true for /dev/ttyACM0 too) and `dup2`s the new descriptor over ours. That drops the `flock`
 * the binding took on open, so tio or minicom could then open the same UART and split its bytes
 * with us, and it leaks the original descriptor on every close. A pipe handle
 * (`uv_pipe_open`) takes the descriptor as it is. `tty.ReadStream` stays as the fallback if a
 * later Node closes `process.binding('pipe_wrap')`; then the lock is lost but nothing leaks.
 */
export function deviceStream(fd: number, onChunk: (bytes: Buffer) => void): Socket {
  const wrap = pipeWrap();
  if (wrap) {
    const handle = new wrap.Pipe(wrap.constants.SOCKET);
    const err = handle.open(fd);
    if (err === 0) {
      // `onread`: libuv reads into one buffer per port, handed to `onChunk` and reused for the next
      // read: no allocation and no Readable bookkeeping per read (16,000 reads/s at 16 ports).
      const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
      return new Socket({ handle, readable: true, writable: true, onread: { buffer, callback: (n: number) => { onChunk(buffer.subarray(0, n)); } } } as ConstructorParameters<typeof Socket>[0]);
    }
  }
  const stream = new ReadStream(fd);
  const own = (stream as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (own !== undefined && own !== fd) closeSync(fd);
  stream.on('data', onChunk);
  return stream;
}

/** libuv's own read size for streams (64 KB): one read takes whatever a USB bridge or pty has. */
const READ_BUFFER_BYTES = 64 * 1024;
