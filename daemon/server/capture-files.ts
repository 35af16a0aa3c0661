import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';

import { redactSecrets } from '../../parsers/redact.ts';

/** Port and file names as the config allows them (ports.ts): no `/`, no `..`, no NUL. */
const SAFE_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export function safeName(name: string): boolean {
  return SAFE_NAME.test(name) && name !== '.' && name !== '..';
}

export interface CaptureFile {
  readonly name: string;
  readonly bytes: number;
  readonly modifiedMs: number;
}

/** `<dataDir>/captures/<port>`, or undefined for a name that could escape it. */
export function captureDir(dataDir: string, port: string): string | undefined {
  if (!safeName(port)) return undefined;
  const root = resolve(dataDir, 'captures');
  const dir = resolve(root, port);
  return dir.startsWith(root + sep) ? dir : undefined;
}

export async function listCaptures(dataDir: string, port: string): Promise<CaptureFile[] | undefined> {
  const dir = captureDir(dataDir, port);
  if (!dir) return undefined;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const out: CaptureFile[] = [];
  for (const name of names.sort()) {
    if (!safeName(name)) continue;
    const st = await lstat(join(dir, name));
    if (st.isFile()) out.push({ name, bytes: st.size, modifiedMs: st.mtimeMs });
  }
  return out;
}

/** Resolves a capture file strictly inside its port folder; symlinks are refused (they could point anywhere). */
export async function resolveCapture(dataDir: string, port: string, name: string): Promise<string | undefined> {
  const dir = captureDir(dataDir, port);
  if (!dir || !safeName(name)) return undefined;
  const file = resolve(dir, name);
  if (!file.startsWith(dir + sep)) return undefined;
  try {
    const st = await lstat(file);
    return st.isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Line-wise `redactSecrets` over a byte stream: holds back the unterminated tail so an
 * `AT+CWJAP="ssid","pwd"` split across two reads is still seen whole (formats.md §10).
 */
export class RedactingStream extends Transform {
  #tail = '';
  readonly #decoder = new TextDecoder('utf-8');

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.#tail + this.#decoder.decode(chunk, { stream: true });
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (cut < 0) {
      this.#tail = text;
      // Bound the held-back tail: a file without line ends is emitted (redacted) in pieces.
      if (this.#tail.length > 1 << 20) {
        this.push(redactSecrets(this.#tail));
        this.#tail = '';
      }
    } else {
      this.#tail = text.slice(cut + 1);
      // Per line: the redaction pattern must not run across a line end.
      this.push(text.slice(0, cut + 1).replace(/[^\r\n]+/g, (l) => redactSecrets(l)));
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.#tail + this.#decoder.decode();
    if (rest) this.push(redactSecrets(rest));
    done();
  }
}

export function openRedactedCapture(file: string): NodeJS.ReadableStream {
  return createReadStream(file).pipe(new RedactingStream());
}
