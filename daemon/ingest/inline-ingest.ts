import { IngestEngine } from './ingest-engine.ts';
import type { Ingest, IngestOptions } from './ingest.ts';

/** The ingest edge on the calling thread. */
export function startInlineIngest(options: IngestOptions): Ingest {
  const engine = new IngestEngine(options);
  const done = engine.start();
  return {
    ports: () => engine.ports(),
    write: (port, bytes) => engine.write(port, bytes),
    done,
    stop: async () => engine.stop(),
  };
}
