import type { SimTimeline } from './sim-timeline.ts';
import type { SimWrite } from './sim-write.ts';
import type { UartName } from './sim-uart.ts';
import { espRomNoise } from './esp-rom-noise.ts';
import { resampleUart } from './uart-resample.ts';
import { SIM_UARTS } from './sim-uart.ts';
import {
  FIXED_ZEPHYR_VERSION, SIM_ESP_MAC, SIM_GATEWAY, SIM_IFACE, SIM_IP, SIM_NETMASK, SIM_WIFI_PASSWORD, SIM_WIFI_SSID,
  cwjapCommand,
} from './sim-board-facts.ts';

export interface WifiAppBootOptions {
  /** Where the ESP-AT traffic is seen: its own UART, or the console when both share one USART. */
  readonly atUart?: UartName;
  /**
   * How the module's `ready` arrives: by itself after power-on; after power-on boot-ROM noise at
   * 74880 baud (formats.md §5.4); or only after the driver's `AT+RST` (the 3mdeb fork's wait of
   * 3 s for an unsolicited `ready` first times out with -11, §3.3).
   */
  readonly ready?: 'power-on' | 'power-on-noise' | 'rst';
  readonly version?: string;
  /**
   * The baud rate the driver moves the module to with `AT+UART_CUR` (the DT `target-speed`,
   * formats.md §3.2 "Baudrate change"); default 115200, no change. Both ends switch after the
   * module's `OK`, so the driver carries on, but a tap still listening at 115200 sees every later
   * byte of the module's UART at the wrong rate: garbage for as long as they talk.
   */
  readonly switchBaud?: number;
}

/**
 * A Zephyr wifi_app boot that works: the fork's `wifi_esp_at` driver init (formats.md §3.3, §3.4)
 * with the module's AT traffic, `ESP Wi-Fi ready`, the banner after the driver lines (§2.1), the
 * UC1 app connecting (§3.6), the module's `WIFI CONNECTED` / `WIFI GOT IP`, the driver's
 * `AT+CIPSTA?` one second later (§3.4), and the app printing the DHCP address.
 * Starts the device clock at 0.
 */
export function* wifiAppBoot(t: SimTimeline, options: WifiAppBootOptions = {}): Generator<SimWrite> {
  const at = options.atUart ?? 'esp';
  const ready = options.ready ?? 'power-on';
  const version = options.version ?? FIXED_ZEPHYR_VERSION;
  const tapBaud = SIM_UARTS[at].baud;
  let atBaud = tapBaud;
  // A line on the module's UART, as the tap at `tapBaud` receives it.
  function* atLine(text: string): Generator<SimWrite> {
    if (atBaud === tapBaud) {
      yield t.line(at, text);
      return;
    }
    const bytes = resampleUart(new TextEncoder().encode(`${text}\r\n`), atBaud, tapBaud);
    if (bytes.length > 0) yield t.send(at, bytes);
  }
  // One AT exchange: the command, the module's answer a few ms later.
  function* cmd(command: string, replies: readonly string[], replyMs = 4): Generator<SimWrite> {
    yield* atLine(command);
    t.wait(replyMs);
    for (const r of replies) yield* atLine(r);
    t.drain().wait(2);
  }

  t.bootDevice();
  yield t.log('inf', 'wifi_esp_at', 'DT has external_reset');
  yield t.log('inf', 'wifi_esp_at', 'Waiting for interface to come up by itself...');
  if (ready === 'rst') {
    t.atDevice(3000);
    yield t.log('inf', 'wifi_esp_at', 'Result: -11');
    yield t.log('inf', 'wifi_esp_at', 'ESP_AT: sending RST CMD');
    yield* cmd('AT+RST', ['OK']);
    t.wait(310);
    yield t.send(at, '\r\nready\r\n');
  } else {
    t.atDevice(35);
    if (ready === 'power-on-noise') {
      yield t.send(at, espRomNoise());
      t.drain().wait(180);
    } else {
      t.wait(300);
    }
    yield t.send(at, '\r\nready\r\n');
    t.drain().wait(1);
    yield t.log('inf', 'wifi_esp_at', 'Result: 0');
  }
  t.wait(2);
  yield t.log('inf', 'wifi_esp_at', 'Waiting for interface to come up');
  yield* cmd('AT', ['OK']);
  yield* cmd('ATE0', ['OK']);
  yield* cmd(`AT+UART_CUR=${options.switchBaud ?? tapBaud},8,1,0,0`, ['OK']);
  atBaud = options.switchBaud ?? tapBaud;
  yield* cmd('AT+GMR', [
    'AT version:2.2.0.0(b097cdf - ESP8266 - Jun 17 2021 12:57:45)',
    'SDK version:v3.4-22-g967752e2',
    'compile time(6800286):Aug  4 2021 17:20:05',
    'Bin version:2.2.0(Cytron_ESP-12F_WROOM-02)',
    'OK',
  ]);
  yield t.log('inf', 'wifi_esp_at', 'AT version: 2.2.0.0(b097cdf - ESP8266 - Jun 17 2021 12:57:45)');
  yield t.log('inf', 'wifi_esp_at', 'SDK version: v3.4-22-g967752e2');
  yield* cmd('AT+CWDHCP=1,1', ['OK']);
  yield* cmd('AT+CIPMUX=1', ['OK']);
  yield* cmd('AT+CWLAPOPT=0,31', ['OK']);
  yield* cmd('AT+CWMODE=1', ['OK']);
  yield* cmd('AT+CWAUTOCONN=0', ['OK']);
  yield* cmd('AT+CWMODE=0', ['OK']);
  yield* cmd('AT+CIPSTAMAC?', [`+CIPSTAMAC:"${SIM_ESP_MAC}"`, 'OK']);
  yield t.log('inf', 'wifi_esp_at', 'ESP Wi-Fi ready');
  t.wait(1);
  yield t.printk(`*** Booting Zephyr OS build ${version} ***`);
  yield t.log('inf', 'MAIN', 'Hello in WiFi App!');
  yield t.log('inf', 'MAIN', `Connecting to Wi-Fi network ${SIM_WIFI_SSID}...`);
  t.wait(3);
  yield* cmd('AT+CWMODE=1', ['OK']);
  // The module answers a join after association and DHCP: WIFI CONNECTED, WIFI GOT IP, OK (§5.3).
  yield* atLine(cwjapCommand(SIM_WIFI_SSID, SIM_WIFI_PASSWORD));
  yield t.log('inf', 'MAIN', `Connected to Wi-Fi network ${SIM_WIFI_SSID}`);
  t.wait(2150);
  yield* atLine('WIFI CONNECTED');
  t.wait(3);
  yield t.log('inf', 'MAIN', `Connected to ${SIM_WIFI_SSID}`);
  yield t.log('inf', 'MAIN', 'Run dhcpv4 client');
  yield t.log('inf', 'MAIN', `Start on ${SIM_IFACE}: index=1`);
  t.wait(1240);
  yield* atLine('WIFI GOT IP');
  t.wait(310);
  yield* atLine('OK');
  t.drain().wait(1000);
  yield* cmd('AT+CIPSTA?', [
    `+CIPSTA:ip:"${SIM_IP}"`,
    `+CIPSTA:gateway:"${SIM_GATEWAY}"`,
    `+CIPSTA:netmask:"${SIM_NETMASK}"`,
    'OK',
  ]);
  yield t.log('inf', 'MAIN', `   Address[1]: ${SIM_IP}`);
  yield t.log('inf', 'MAIN', `    Subnet[1]: ${SIM_NETMASK}`);
  yield t.log('inf', 'MAIN', `    Router[1]: ${SIM_GATEWAY}`);
}
