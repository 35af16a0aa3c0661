import { defineScenario } from '../define-scenario.ts';
import { hypervisorBoot } from '../hypervisor-boot.ts';
import { uptimeTail } from '../uptime-tail.ts';
import { SEED_ZEPHYR_VERSION, SIM_IFACE, SIM_WIFI_SSID } from '../sim-board-facts.ts';

/**
 * The seed story (fixtures/seed/): the ESP module never answers `AT+RST`, the connect fails with
 * -115, and the VM's clock runs at 1/8 of real time (Zephyr configured for 96 MHz, the
 * hypervisor's timer at 12 MHz; DESIGN.md). The driver's 3 s reset timeouts are device time
 * (reference/peer-captures.md), so on the host they are 24 s apart and the banner comes ~96 s
 * after power-on. Log timestamps and Uptime lines are both kernel uptime, so both run at 1/8.
 */
export const seedScenario = defineScenario({
  name: 'seed',
  summary: 'ESP never answers AT+RST (-116), connect fails (-115), device clock at 1/8',
  deviceClockFactor: 1 / 8,
  *story(t) {
    yield* hypervisorBoot(t);
    t.drain().wait(30);
    t.bootDevice();
    yield t.log('inf', 'wifi_esp_at', 'DT has external_reset');
    yield t.log('inf', 'wifi_esp_at', 'Waiting for interface to come up by itself...');
    t.atDevice(3000);
    yield t.log('inf', 'wifi_esp_at', 'Result: -11');
    // formats.md §3.3: at most 3 `AT+RST`, each waiting CONFIG_WIFI_ESP_AT_RESET_TIMEOUT = 3000 ms.
    for (const atMs of [3000, 6000, 9000]) {
      t.atDevice(atMs);
      yield t.log('inf', 'wifi_esp_at', 'ESP_AT: sending RST CMD');
      yield t.line('esp', 'AT+RST');
    }
    t.atDevice(12001);
    yield t.log('err', 'wifi_esp_at', 'Failed to reset device: -116');
    yield t.printk(`*** Booting Zephyr OS build ${SEED_ZEPHYR_VERSION} ***`);
    yield t.log('inf', 'MAIN', 'Hello in WiFi App!');
    yield t.log('inf', 'MAIN', `Connecting to Wi-Fi network ${SIM_WIFI_SSID}...`);
    yield t.log('err', 'MAIN', 'Failed to connect to Wi-Fi network: -115');
    yield t.log('inf', 'MAIN', 'Run dhcpv4 client');
    yield t.log('inf', 'MAIN', `Start on ${SIM_IFACE}: index=1`);
  },
  *tail(t) {
    yield* uptimeTail(t, { firstDeviceMs: 13001 });
  },
});
