import type { SimTimeline } from './sim-timeline.ts';
import type { SimWrite } from './sim-write.ts';

/**
 * `Uptime: N ms` once a device second, forever, as the timer test of the seed prints it
 * (fixtures/seed/timer-test-8x-slow.tio.log): a printk line, the loop sleeping 1000 ms of
 * kernel time plus a quarter of a millisecond of work, so N gains an extra 1 ms every fourth
 * line (1001, 2001, 3001, 4002 in the capture). The host spacing is 1000/factor ms.
 */
export function* uptimeTail(t: SimTimeline, options: { firstDeviceMs?: number; uart?: 'console' } = {}): Generator<SimWrite> {
  const first = options.firstDeviceMs ?? Math.floor(t.deviceMs() / 1000) * 1000 + 1001;
  for (let n = 0; ; n++) {
    t.atDevice(first + n * 1000.25);
    yield t.printk(`Uptime: ${t.deviceMs()} ms`, options.uart ?? 'console');
  }
}
