/**
 * The simulated board's fixed facts, from the seed story (fixtures/seed/) and the UC1 demo
 * (reference/formats.md §3.3, §3.6, §5.3).
 */
export const SIM_WIFI_SSID = 'rpi3-hotspot';
/**
 * A made-up password. It contains a comma on purpose: the driver escapes `,` `"` `\` with a
 * backslash in `AT+CWJAP` (formats.md §3.4), so redaction must cope with `\,` inside the quotes.
 */
export const SIM_WIFI_PASSWORD = 'uc1,Hotspot!7';
export const SIM_IP = '192.168.4.23';
export const SIM_GATEWAY = '192.168.4.1';
export const SIM_NETMASK = '255.255.255.0';
export const SIM_ESP_MAC = 'c8:c9:a3:5e:12:7f';
/** The seed capture's build (fixtures/seed/wifi-app-esp-reset-failure.log). */
export const SEED_ZEPHYR_VERSION = 'v4.1.0-1219-g584f2f86f905';
/** The build the UC1 guide shows once the ESP firmware was fixed (formats.md §1.6). */
export const FIXED_ZEPHYR_VERSION = 'v4.1.0-1222-g271047d959e9';
/** The network interface name the UC1 app prints (`Start on %s: index=%d`). */
export const SIM_IFACE = 'mikroe_wifi_bt_click';

/** `AT+CWJAP="<ssid>","<psk>"` with `,` `"` `\` escaped as the Zephyr driver does (formats.md §3.4). */
export function cwjapCommand(ssid: string, password: string): string {
  const esc = (s: string): string => s.replace(/[\\",]/g, (c) => `\\${c}`);
  return `AT+CWJAP="${esc(ssid)}","${esc(password)}"`;
}
