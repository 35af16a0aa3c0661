import { createReadStream } from 'node:fs';

/**
 * The physical lines of a file, split on LF (a CR stays in the line for the capture reader to
 * judge), streamed in chunks so memory does not depend on the file size; a line longer than
 * `maxLineBytes` is cut. `onBytes` reports
 * progress in bytes read.
 */
export async function* captureFileLines(file: string, onBytes?: (bytesRead: number) => void, chunkBytes = 1 << 20, maxLineBytes = 1 << 20): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  let read = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: chunkBytes }) as AsyncIterable<Buffer>) {
    read += chunk.length;
    let start = 0;
    let data = chunk;
    if (carry) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        // A file without newlines (a binary blob) is cut into bounded pieces.
        if (carry.length >= maxLineBytes) {
          yield carry;
          carry = null;
        }
        onBytes?.(read);
        continue;
      }
      yield Buffer.concat([carry, chunk.subarray(0, nl)]);
      carry = null;
      start = nl + 1;
      data = chunk;
    }
    for (;;) {
      const nl = data.indexOf(10, start);
      if (nl < 0) break;
      yield data.subarray(start, nl);
      start = nl + 1;
    }
    // Copy the tail: the chunk itself can then be collected.
    if (start < data.length) carry = Buffer.from(data.subarray(start));
    onBytes?.(read);
  }
  if (carry && carry.length > 0) yield carry;
}
