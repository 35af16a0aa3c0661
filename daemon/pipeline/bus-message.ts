import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { Line } from '../core/line.ts';
import type { ParsedRecord } from '../core/parsed-record.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { AlertRecord } from '../store/history-query.ts';

/**
 * Everything that flows on the event bus, in the order the pipeline produced it.
 * A line is published only after the capture writer has it in its buffer.
 */
export type BusMessage =
  | { readonly type: 'line'; readonly line: Line }
  | { readonly type: 'record'; readonly record: ParsedRecord }
  | { readonly type: 'event'; readonly event: BusEvent }
  /** A boot was opened, gained a milestone, or ended: the whole current state each time. */
  | { readonly type: 'boot'; readonly boot: Boot }
  | { readonly type: 'drift'; readonly fit: DriftFit }
  | { readonly type: 'status'; readonly status: PortStatus }
  /** An alert rule fired or resolved (published by the alert sink). */
  | { readonly type: 'alert'; readonly alert: AlertRecord };
