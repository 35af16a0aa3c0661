import type { PortInfo } from '../pipeline/runtime.ts';
import type { IngestEngineOptions } from './ingest-engine.ts';

/** The ingest edge as the daemon sees it. */
export interface Ingest {
  /** Live counters and state of every port. */
  ports(): readonly PortInfo[];
  write(port: string, bytes: Uint8Array): Promise<void>;
  /** Resolves when every source has ended for good and every item has been handed on; rejects if reading failed for good. */
  readonly done: Promise<void>;
  /**
   * Lines handed on by `onItem` that analysis has now taken (or dropped): the bound on lines in
   * flight between the threads counts down by these.
   */
  consumed(lines: number): void;
  /** Stops the sources, hands on what was held, closes the capture. Resolves after the last item. */
  stop(): Promise<void>;
}

export type IngestOptions = IngestEngineOptions;
