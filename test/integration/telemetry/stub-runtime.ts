import type { QueueStats } from '../../../daemon/pipeline/bounded-queue.ts';
import type { Runtime } from '../../../daemon/pipeline/runtime.ts';

/** The part of the daemon a sink reads; OtelSink reads only `stages()` (for the drop metric). */
export function stubRuntime(stages: Record<string, QueueStats> = {}): Runtime {
  return {
    config: {} as Runtime['config'],
    dataDir: '/nonexistent',
    ports: () => [],
    stages: () => stages,
    startedAt: 0,
    writePort: () => Promise.reject(new Error('no ports in this test')),
  };
}
