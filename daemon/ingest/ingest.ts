import type { PortInfo } from '../pipeline/runtime.ts';
import type { IngestEngineOptions } from './ingest-engine.ts';
import type { IngestItem } from './ingest-item.ts';

/** The ingest edge as the daemon sees it. */
export interface Ingest {
  /** Live counters and state of every port. */
  ports(): readonly PortInfo[];
  write(port: string, bytes: Uint8Array): Promise<void>;
  /** Resolves when every source has ended for good and every item has been handed on. */
  readonly done: Promise<void>;
  /** Stops the sources, hands on what was held, closes the capture. Resolves after the last item. */
  stop(): Promise<void>;
}

export interface IngestOptions extends Omit<IngestEngineOptions, 'onItem'> {
  /** Items in order; returns false for each line it had to drop. */
  readonly onItem: (item: IngestItem) => boolean;
}
