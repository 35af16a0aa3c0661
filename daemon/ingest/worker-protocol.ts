import type { Config } from '../config/schema.ts';
import type { PortInfo } from '../pipeline/runtime.ts';
import type { SerialOpenRequest, SerialOpenResult } from '../sources/serial-opener.ts';
import type { ItemBatch } from './item-batch.ts';

/** What the ingest thread is started with. */
export interface IngestWorkerData {
  readonly config: Config;
  readonly dataDir: string;
  /** The main thread's HostClock anchor: both threads stamp on one time line. */
  readonly anchor: { readonly wallUs: number; readonly monoNs: bigint };
  /** seq each port continues from, per the store. */
  readonly firstSeq: Readonly<Record<string, number>>;
  /**
   * One Int32: lines posted to the main thread and not yet taken by analysis (or dropped there).
   * The ingest thread drops (and counts) lines for analysis beyond `maxInFlight`, so a stalled
   * main thread cannot make the message queue between the threads grow without bound; replays
   * wait instead. The capture never drops: it is written on the ingest thread before a line is
   * posted.
   */
  readonly inFlight: SharedArrayBuffer;
  readonly maxInFlight: number;
}

export type ToIngestWorker =
  | { readonly type: 'start' }
  | { readonly type: 'opened'; readonly id: number; readonly result: SerialOpenResult }
  | { readonly type: 'write'; readonly id: number; readonly port: string; readonly bytes: Uint8Array }
  | { readonly type: 'stop' };

export type FromIngestWorker =
  | { readonly type: 'ready'; readonly ports: PortInfo[] }
  | { readonly type: 'items'; readonly batch: ItemBatch; readonly ports: PortInfo[] }
  | { readonly type: 'open'; readonly id: number; readonly request: SerialOpenRequest }
  | { readonly type: 'wrote'; readonly id: number; readonly error?: string }
  | { readonly type: 'problem'; readonly message: string }
  | { readonly type: 'done' }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly message: string };
