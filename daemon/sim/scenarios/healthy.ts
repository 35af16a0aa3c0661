import { defineScenario } from '../define-scenario.ts';
import { hypervisorBoot } from '../hypervisor-boot.ts';
import { uptimeTail } from '../uptime-tail.ts';
import { wifiAppBoot } from '../wifi-app-boot.ts';

/** The board as it should be: the module answers, Wi-Fi joins, DHCP binds, the clock runs at 1. */
export const healthyScenario = defineScenario({
  name: 'healthy',
  summary: 'ESP ready, Wi-Fi connected, DHCP bound to 192.168.4.23, device clock at 1',
  deviceClockFactor: 1,
  *story(t) {
    yield* hypervisorBoot(t);
    t.drain().wait(30);
    yield* wifiAppBoot(t);
  },
  *tail(t) {
    yield* uptimeTail(t);
  },
});
