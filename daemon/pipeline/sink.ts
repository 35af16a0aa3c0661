import type { EventBus } from './event-bus.ts';
import type { QueueStats } from './bounded-queue.ts';
import type { Runtime } from './runtime.ts';

/**
 * Everything that leaves the process: capture files, the store, the WebSocket hub,
 * OpenTelemetry, Prometheus, alert actions, the terminal. A sink subscribes to the bus in
 * `start`, owns a bounded queue with a stated policy when full, and reports its counters.
 */
export interface Sink {
  readonly name: string;
  start(bus: EventBus, runtime: Runtime): void | Promise<void>;
  /** Drain what is queued (bounded by a deadline of the sink's own), release resources. */
  stop(): Promise<void>;
  stats(): QueueStats | undefined;
}
