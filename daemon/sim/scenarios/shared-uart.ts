import { defineScenario } from '../define-scenario.ts';
import { hypervisorBoot } from '../hypervisor-boot.ts';
import { uptimeTail } from '../uptime-tail.ts';
import { wifiAppBoot } from '../wifi-app-boot.ts';

/**
 * The Zephyr console and the ESP module on one USART (the seed's "fought over one UART",
 * formats.md §6.4: wifi_app needs USART2 for the module, the console had to move to USART3):
 * `AT+RST`, `ready`, `AT+CWJAP=…`, `WIFI GOT IP` appear on the console port between Zephyr's
 * lines, and the module's own tap stays silent.
 */
export const sharedUartScenario = defineScenario({
  name: 'shared-uart',
  summary: 'ESP-AT traffic (AT+RST, ready, AT+CWJAP, WIFI GOT IP) interleaved with Zephyr lines on the console',
  deviceClockFactor: 1,
  *story(t) {
    yield* hypervisorBoot(t);
    t.drain().wait(30);
    yield* wifiAppBoot(t, { atUart: 'console', ready: 'rst' });
  },
  *tail(t) {
    yield* uptimeTail(t);
  },
});
