import { performance } from 'node:perf_hooks';
import { SCENARIO_NAMES, isScenarioChoice, scenarioWrites, type ScenarioChoice } from './scenario-catalog.ts';
import { scheduleWrites, type ScheduleOptions } from './sim-schedule.ts';
import type { UartName } from './sim-uart.ts';

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The bytes one UART of the simulated board sends, with the same timing as the pty board, in
 * process (the `sim:SCENARIO[/UART]` port source). Chunks due together come as one. A finished
 * script (hv-error) means a halted board, not an unplug: the stream then waits silently until
 * `signal` aborts or `untilMs` of script time have passed, and ends.
 */
export async function* simStream(
  scenario: ScenarioChoice | (string & {}),
  uart: UartName,
  options: ScheduleOptions = {},
): AsyncGenerator<Uint8Array> {
  // Config strings arrive unchecked (sources/sim-source.ts); name the choices instead of guessing.
  if (!isScenarioChoice(scenario)) throw new RangeError(`unknown scenario "${scenario}" (one of ${SCENARIO_NAMES.join(', ')}, cycle)`);
  const endAt = performance.now() + (options.delayMs ?? 0) + (options.untilMs ?? Number.POSITIVE_INFINITY) / (options.speed ?? 1);
  for await (const batch of scheduleWrites(scenarioWrites(scenario), options)) {
    const mine = batch.filter((w) => w.uart === uart).map((w) => w.bytes);
    if (mine.length > 0) yield concat(mine);
  }
  await silentUntil(endAt, options.signal);
}

async function silentUntil(endAt: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return;
  const finite = Number.isFinite(endAt);
  // Without a limit or a signal nothing could ever end the wait; return rather than hang forever.
  if (!finite && !signal) return;
  await new Promise<void>((resolve) => {
    const timer = finite ? setTimeout(done, Math.max(0, endAt - performance.now())) : undefined;
    function done(): void {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
