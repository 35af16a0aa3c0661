import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCaptureLine, type CaptureEntry } from '../../daemon/capture/capture-codec.ts';

/** Every entry of a port's capture files, in order. */
export function readCapture(dataDir: string, port: string): CaptureEntry[] {
  const dir = join(dataDir, 'captures', port);
  let files: string[] = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.log')).sort(); } catch { return []; }
  return files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').map(decodeCaptureLine).filter((e): e is CaptureEntry => e !== null));
}

export const captureLines = (entries: CaptureEntry[]) => entries.filter((e): e is Extract<CaptureEntry, { kind: 'line' }> => e.kind === 'line');
export const captureText = (entries: CaptureEntry[]) => captureLines(entries).map((e) => Buffer.from(e.bytes).toString('utf8'));
