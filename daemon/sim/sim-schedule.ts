import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimWrite } from './sim-write.ts';

export interface ScheduleOptions {
  /** Host time runs `speed` times faster than the script says (default 1: real timing). */
  readonly speed?: number;
  /** Waits this long (real ms) before the script's time 0, e.g. so a reader can open the port first. */
  readonly delayMs?: number;
  /** Stops after this much script time (host ms); otherwise the script plays until it ends or is aborted. */
  readonly untilMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Plays timed writes in real time: yields each batch of writes that are due, as late as their
 * time says. Every deadline is taken against one monotonic start (performance.now), not from the
 * previous wake-up, so timer lateness never accumulates over a long run. Writes already due when
 * the player wakes come out together in one batch.
 */
export async function* scheduleWrites(writes: Iterable<SimWrite>, options: ScheduleOptions = {}): AsyncGenerator<SimWrite[]> {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
  const until = options.untilMs ?? Number.POSITIVE_INFINITY;
  const signal = options.signal;
  const start = performance.now() + (options.delayMs ?? 0);
  const due = (w: SimWrite): number => start + w.atMs / speed;

  const it = writes[Symbol.iterator]();
  try {
    let next = it.next();
    while (!next.done && !signal?.aborted) {
      const first = next.value;
      if (first.atMs >= until) return;
      const wait = due(first) - performance.now();
      if (wait > 0) {
        try {
          await sleep(wait, undefined, signal ? { signal } : undefined);
        } catch {
          return; // aborted
        }
      }
      const batch: SimWrite[] = [first];
      const now = performance.now();
      next = it.next();
      while (!next.done && next.value.atMs < until && due(next.value) <= now) {
        batch.push(next.value);
        next = it.next();
      }
      yield batch;
    }
  } finally {
    it.return?.();
  }
}
