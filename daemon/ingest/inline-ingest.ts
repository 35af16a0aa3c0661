import { IngestEngine } from './ingest-engine.ts';
import type { Ingest, IngestOptions } from './ingest.ts';

/** The ingest edge on the calling thread; ports are known at once, sources open at `start()`. */
export function createInlineIngest(options: IngestOptions): Ingest & { start(): void } {
  const engine = new IngestEngine(options);
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  return {
    ports: () => engine.ports(),
    write: (port, bytes) => engine.write(port, bytes),
    consumed: () => {},
    done,
    start: () => { void engine.start().then(resolveDone); },
    stop: async () => engine.stop(),
  };
}
