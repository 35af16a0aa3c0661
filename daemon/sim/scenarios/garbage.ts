import { defineScenario } from '../define-scenario.ts';
import { hypervisorBoot } from '../hypervisor-boot.ts';
import { uptimeTail } from '../uptime-tail.ts';
import { wifiAppBoot } from '../wifi-app-boot.ts';

/**
 * Wrong baud rates on the module's UART, as a tap at 115200 sees them. First the ESP8266 boot ROM
 * at 74880 baud (reference/formats.md §5.4): a burst of mostly non-ASCII bytes, then the AT
 * firmware's `ready` at the right speed (expected boot noise). Then the driver moves the module
 * to 460800 baud with `AT+UART_CUR` (a DT `target-speed`, §3.2) and every later byte on the tap
 * is garbage, while the console shows a normal boot and connect.
 */
export const garbageScenario = defineScenario({
  name: 'garbage',
  summary: 'ESP boot ROM at 74880 baud (non-ASCII burst) then ready; then the module moved to 460800 baud: garbage on the esp tap',
  deviceClockFactor: 1,
  *story(t) {
    yield* hypervisorBoot(t);
    t.drain().wait(30);
    yield* wifiAppBoot(t, { ready: 'power-on-noise', switchBaud: 460800 });
  },
  *tail(t) {
    yield* uptimeTail(t);
  },
});
