import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';
import type { HostClock } from '../core/host-time.ts';
import { decodeCaptureLine } from '../capture/capture-codec.ts';
import type { Source, SourceItem } from './source.ts';

export interface ReplaySourceOptions {
  readonly port: string;
  readonly file: string;
  /** 1 = the original timing, `max` = as fast as possible. */
  readonly speed: number | 'max';
  readonly clock: HostClock;
  /**
   * Whether the stages after the ingest edge can take more now. A replay at `max` speed waits
   * while they cannot: a file loses nothing by waiting, whereas a live UART must be read at once
   * and its lines dropped from analysis (counted) when analysis falls behind.
   */
  readonly hasRoom?: () => boolean;
}

/**
 * A capture replayed as a live port: a uartscope capture gives back the exact bytes with
 * the gaps between their original host times (divided by `speed`); any other file is
 * replayed line by line. Completes with state `gone` at the end of the file. At `max` speed it
 * goes as fast as the analysis takes the lines, so a replay never drops one.
 */
export function replaySource(options: ReplaySourceOptions): Source {
  const items$ = new Observable<SourceItem>((sub) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const sleep = (ms: number) => new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
    const run = async () => {
      try {
        await access(options.file);
      } catch (err) {
        sub.next({ type: 'state', state: 'gone', at: options.clock.now(), reason: `port ${options.port}: cannot read ${options.file}: ${(err as Error).message}` });
        sub.complete();
        return;
      }
      sub.next({ type: 'state', state: 'connected', at: options.clock.now(), path: options.file });
      const rl = createInterface({ input: createReadStream(options.file), crlfDelay: Number.POSITIVE_INFINITY });
      let firstOriginal: number | undefined;
      const startedMono = performance.now();
      let lines = 0;
      for await (const text of rl) {
        if (stopped) break;
        const entry = text.startsWith('#') ? null : decodeCaptureLine(text);
        let bytes: Uint8Array | undefined;
        let original: number | undefined;
        if (entry?.kind === 'line') {
          bytes = entry.bytes;
          original = entry.hostTime;
        } else if (entry === null && !text.startsWith('# uartscope')) {
          bytes = Buffer.from(`${text}\n`, 'utf8');
        }
        if (!bytes) continue;
        if (options.speed !== 'max' && original !== undefined) {
          firstOriginal ??= original;
          const dueMs = (original - firstOriginal) / 1000 / options.speed;
          const wait = dueMs - (performance.now() - startedMono);
          if (wait > 1) await sleep(wait);
        } else {
          // As fast as possible, but let the rest of the daemon run, and wait while analysis is behind.
          if (++lines % 1024 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          while (!stopped && options.hasRoom && !options.hasRoom()) await sleep(5);
        }
        if (stopped) break;
        sub.next({ type: 'data', bytes, at: options.clock.now() });
      }
      rl.close();
      if (!stopped) {
        sub.next({ type: 'state', state: 'gone', at: options.clock.now(), reason: 'end of file' });
        sub.complete();
      }
    };
    void run().catch((err: Error) => {
      if (stopped) return;
      sub.next({ type: 'state', state: 'gone', at: options.clock.now(), reason: `port ${options.port}: replay failed: ${err.message}` });
      sub.complete();
    });
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  });
  return { kind: 'replay', items$ };
}
