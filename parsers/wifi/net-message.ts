import type { FieldValue } from '../../daemon/core/parsed-record.ts';
import { errnoName } from '../errno.ts';
import type { ClassifiedMessage } from '../esp-at/driver-message.ts';

/**
 * Wi-Fi management and DHCPv4 lines of applications and Zephyr's network stack
 * (reference/formats.md §2.6 Wi-Fi shell, §3.6 UC1 app, dhcpv4_client sample, net_dhcpv4,
 * net_config). Matched on the message whatever the module, since apps copy these strings.
 */
const CONNECTING = /^Connecting to Wi-Fi network (.*?)(?:\.\.\.)?$/;
const CONNECT_FAILED = /^Failed to connect to Wi-Fi network: (-?\d+)$/;
const REQUEST_FAILED = /^Connection request failed(?: \((-?\d+)\))?$/;
// `Connected to Wi-Fi network X` only means the request was accepted (§3.6): still connecting,
// never `wifi.connected` (the result comes later as `Connected to X`, or as a failure).
const CONNECT_ACCEPTED = /^Connected to Wi-Fi network (.+)$/;
const CONNECTED = /^Connected to (.+)$/;
const DISCONNECTED = /^Disconnected from (.+)$/;
const DHCP_START = /^(?:Run dhcpv4 client|Running dhcpv4 client\.\.\.)$/;
const BOUND = /^(?:Address\[\d+\]|Your address|IPv4 address|Received): (\d{1,3}(?:\.\d{1,3}){3})$/;
const LEASE = /^Lease time(?:\[\d+\])?: (\d+) seconds$/;
const SUBNET = /^(Subnet|Router)(?:\[\d+\])?: (\S+)$/;

export function classifyNetMessage(message: string, module: string | undefined): ClassifiedMessage | null {
  const t = message.trim();
  const c = t.charCodeAt(0);
  let m: RegExpExecArray | null;
  switch (c) {
    case 67: // C
      if ((m = CONNECTING.exec(t))) return { kind: 'wifi.connecting', fields: { ssid: m[1]! } };
      if ((m = REQUEST_FAILED.exec(t))) {
        const fields: Record<string, FieldValue> = {};
        if (m[1] !== undefined) {
          fields['errno'] = Number(m[1]);
          fields['errnoName'] = errnoName(Number(m[1]));
        } else {
          fields['errno'] = null;
          fields['errnoName'] = null;
        }
        return { kind: 'wifi.connect_failed', fields };
      }
      if ((m = CONNECT_ACCEPTED.exec(t))) return { kind: 'wifi.connecting', fields: { ssid: m[1]!, accepted: true } };
      if ((m = CONNECTED.exec(t))) return { kind: 'wifi.connected', fields: { ssid: m[1]! } };
      if (t === 'Connected' && (module === undefined || module === 'net_wifi_shell')) return { kind: 'wifi.connected', fields: { ssid: null } };
      return null;
    case 70: // F
      if ((m = CONNECT_FAILED.exec(t))) {
        return { kind: 'wifi.connect_failed', fields: { errno: Number(m[1]), errnoName: errnoName(Number(m[1])) } };
      }
      return null;
    case 68: // D
      if ((m = DISCONNECTED.exec(t))) return { kind: 'wifi.disconnected', fields: { ssid: m[1]! } };
      if (t === 'Disconnected' && (module === undefined || module === 'net_wifi_shell')) return { kind: 'wifi.disconnected', fields: { ssid: null } };
      return null;
    case 82: // R
      if (DHCP_START.test(t)) return { kind: 'dhcp.start', fields: {} };
      if ((m = BOUND.exec(t))) return { kind: 'dhcp.bound', fields: { ip: m[1]! } };
      if ((m = SUBNET.exec(t))) return { kind: 'dhcp.info', fields: { what: m[1]!.toLowerCase(), value: m[2]! } };
      return null;
    case 65: // A
    case 89: // Y
    case 73: // I
      if ((m = BOUND.exec(t))) return { kind: 'dhcp.bound', fields: { ip: m[1]! } };
      return null;
    case 76: // L
      if ((m = LEASE.exec(t))) return { kind: 'dhcp.info', fields: { what: 'lease', value: Number(m[1]) } };
      return null;
    case 83: // S
      if ((m = SUBNET.exec(t))) return { kind: 'dhcp.info', fields: { what: m[1]!.toLowerCase(), value: m[2]! } };
      return null;
    default:
      return null;
  }
}
