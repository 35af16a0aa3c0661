import { defineScenario } from '../define-scenario.ts';
import { hypervisorBoot } from '../hypervisor-boot.ts';
import { uptimeTail } from '../uptime-tail.ts';
import { wifiAppBoot } from '../wifi-app-boot.ts';

/**
 * The ESP module's boot ROM talks at 74880 baud on the AT UART the host reads at 115200
 * (reference/formats.md §5.4): a burst of mostly non-ASCII bytes, then the AT firmware's `ready`
 * at the right speed, and a normal boot after it.
 */
export const garbageScenario = defineScenario({
  name: 'garbage',
  summary: 'ESP boot ROM at 74880 baud read at 115200 (non-ASCII burst), then ready and a normal boot',
  deviceClockFactor: 1,
  *story(t) {
    yield* hypervisorBoot(t);
    t.drain().wait(30);
    yield* wifiAppBoot(t, { ready: 'power-on-noise' });
  },
  *tail(t) {
    yield* uptimeTail(t);
  },
});
