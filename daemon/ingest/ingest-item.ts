import type { Line } from '../core/line.ts';
import type { PortStatus } from '../core/port-status.ts';

/** What the ingest edge hands on, in the order it happened per port: lines and status changes. */
export type IngestItem = Line | PortStatus;

export const isLine = (item: IngestItem): item is Line => 'seq' in item;
