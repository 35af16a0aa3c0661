import type { FieldValue } from '../../daemon/core/parsed-record.ts';
import { errnoName } from '../errno.ts';
import { redactSecrets } from '../redact.ts';

export interface ClassifiedMessage {
  readonly kind: string;
  readonly fields: Record<string, FieldValue>;
}

interface Rule {
  readonly re: RegExp;
  readonly kind: string;
  readonly meaning?: string;
  /** Capture group holding a (negative) errno. */
  readonly errnoGroup?: number;
}

/**
 * `wifi_esp_at` driver messages, upstream (reference/formats.md §3.2) and the 3mdeb fork's
 * extra INFO lines (§3.3), each with what it means for the bring-up.
 */
const DRIVER_RULES: readonly Rule[] = [
  { re: /^Waiting for interface to come up by itself\.\.\.$/, kind: 'esp_at.reset_wait', meaning: 'waiting up to CONFIG_WIFI_ESP_AT_RESET_TIMEOUT for an unsolicited ready' },
  { re: /^Result: (-?\d+)$/, kind: 'esp_at.reset_result', meaning: 'result of the wait for ready: 0 = ready seen, -11 (EAGAIN) = timed out', errnoGroup: 1 },
  { re: /^ESP_AT: sending RST CMD$/, kind: 'esp_at.rst_sent', meaning: 'sending AT+RST (at most 3 tries)' },
  { re: /^Failed to reset device: (-?\d+)$/, kind: 'esp_at.reset_failed', meaning: 'AT+RST never produced ready', errnoGroup: 1 },
  { re: /^ESP Wi-Fi ready$/, kind: 'esp_at.ready', meaning: 'init finished; carrier on' },
  { re: /^Init failed (-?\d+)$/, kind: 'esp_at.init_failed', meaning: 'an init AT command failed (-5 = the module answered ERROR)', errnoGroup: 1 },
  { re: /^Timeout waiting for interface$/, kind: 'esp_at.iface_timeout', meaning: 'init did not finish within ESP_INIT_TIMEOUT (10 s)' },
  { re: /^Unexpected reset$/, kind: 'esp_at.unexpected_reset', meaning: 'ready received while the carrier was up: the module rebooted on its own' },
  { re: /^Waiting for interface to come up$/, kind: 'esp_at.message', meaning: 'waiting up to 10 s for init to finish' },
  { re: /^DT has external_reset$/, kind: 'esp_at.message', meaning: 'no reset GPIO: reset is done with AT+RST' },
  { re: /^DT has (power|reset)_gpios$/, kind: 'esp_at.message', meaning: 'devicetree names a GPIO for the module' },
  { re: /^(?:Setting up modem RX handler\.\.\.|Starting RX thread\.\.\.)$/, kind: 'esp_at.message', meaning: 'driver start-up (3mdeb fork)' },
  { re: /^give sem_if_ready$/, kind: 'esp_at.message', meaning: 'ready parsed (3mdeb fork)' },
  { re: /^Switch to mode (\d+)$/, kind: 'esp_at.message', meaning: 'CWMODE change (0 none, 1 STA, 2 AP, 3 both)' },
  { re: /^Failed to switch to mode \d+: (-?\d+)$/, kind: 'esp_at.message', meaning: 'AT+CWMODE failed', errnoGroup: 1 },
  { re: /^Failed to parse MAC address$/, kind: 'esp_at.message', meaning: 'bad +CIPSTAMAC reply' },
  { re: /^Invalid MAC address$/, kind: 'esp_at.message', meaning: 'bad MAC in a +CWLAP or +CWJAP? reply' },
  { re: /^Could not set DNS servers: (-?\d+)$/, kind: 'esp_at.message', meaning: 'DNS resolver reconfiguration failed', errnoGroup: 1 },
  { re: /^Invalid DNS address: /, kind: 'esp_at.message', meaning: 'bad +CIPDNS reply' },
  { re: /^Socket \d+ left open, manually closing$/, kind: 'esp_at.message', meaning: 'disconnect cleanup' },
  { re: /^Unknown IP type /, kind: 'esp_at.message', meaning: 'unexpected +CIPSTA type' },
  { re: /^Failed to query IP settings: ret (-?\d+)$/, kind: 'esp_at.message', meaning: 'AT+CIPSTA? failed after WIFI GOT IP; retried after 5 s', errnoGroup: 1 },
  { re: /^DNS fetch failed: (-?\d+)$/, kind: 'esp_at.message', meaning: 'AT+CIPDNS? failed', errnoGroup: 1 },
  { re: /^No socket for link \d+$/, kind: 'esp_at.message', meaning: 'data or event for an unknown link' },
  { re: /^(?:Invalid IPD|Failed to pull|Invalid IP address)/, kind: 'esp_at.message', meaning: 'malformed +IPD' },
  { re: /^Busy sending$/, kind: 'esp_at.message', meaning: 'module sent busy s...' },
  { re: /^Busy processing$/, kind: 'esp_at.message', meaning: 'module sent busy p...: the command was ignored' },
  { re: /^Failed to request STA status: ret (-?\d+)$/, kind: 'esp_at.message', meaning: 'AT+CWJAP? failed', errnoGroup: 1 },
  { re: /^Failed to scan: ret (-?\d+)$/, kind: 'esp_at.message', meaning: 'AT+CWLAP failed', errnoGroup: 1 },
  { re: /^Failed to enable AP mode, ret (-?\d+)$/, kind: 'esp_at.message', meaning: 'AP mode failed', errnoGroup: 1 },
  { re: /^Baudrate change failed (-?\d+)$/, kind: 'esp_at.message', meaning: 'local uart_configure failed', errnoGroup: 1 },
  { re: /^Error registering modem context: (-?\d+)$/, kind: 'esp_at.message', meaning: 'modem context registration failed', errnoGroup: 1 },
  { re: /^Failed to configure (\w+) pin$/, kind: 'esp_at.message', meaning: 'GPIO setup failed' },
];

// Rules grouped by the literal first character of their pattern: one map lookup instead of
// trying every regex on every driver line (the parser's hot path, bench/parsers.bench.ts).
const RULES_BY_FIRST_CHAR: ReadonlyMap<number, readonly Rule[]> = (() => {
  const map = new Map<number, Rule[]>();
  for (const rule of DRIVER_RULES) {
    const first = rule.re.source.charAt(1);
    const alternatives = first === '(' ? [...rule.re.source.matchAll(/[(|](?:\?:)?([A-Za-z])/g)].map((m) => m[1]!) : [first];
    for (const ch of new Set(alternatives)) {
      const code = ch.charCodeAt(0);
      let list = map.get(code);
      if (list === undefined) map.set(code, (list = []));
      list.push(rule);
    }
  }
  return map;
})();

const VERSION = /^(AT version|SDK version|compile time|Bin version): ?(.*)$/;
const MODEM_CMD = /^command (.*) ret:(-?\d+)$/;
const MODEM_PROCESS = /^process cmd \[(.*)\] \(len:\d+, ret:(-?\d+)\)$/;

function withErrno(fields: Record<string, FieldValue>, value: string | undefined): void {
  if (value === undefined) return;
  const n = Number(value);
  fields['errno'] = n;
  fields['errnoName'] = n === 0 ? 'OK' : errnoName(n);
}

/** Classifies a message of module `wifi_esp_at` (or a minimal-mode line without module). */
export function classifyDriverMessage(message: string): ClassifiedMessage | null {
  const c = message.charCodeAt(0);
  if (c === 65 || c === 83 || c === 66 || c === 99) {
    const v = VERSION.exec(message);
    if (v) return { kind: 'esp_at.version', fields: { what: v[1]!, version: v[2]! } };
  }
  const rules = RULES_BY_FIRST_CHAR.get(message.charCodeAt(0));
  if (rules === undefined) return null;
  for (const rule of rules) {
    const m = rule.re.exec(message);
    if (!m) continue;
    const fields: Record<string, FieldValue> = {};
    if (rule.meaning !== undefined) fields['meaning'] = rule.meaning;
    if (rule.errnoGroup !== undefined) withErrno(fields, m[rule.errnoGroup]);
    return { kind: rule.kind, fields };
  }
  return null;
}

/** `modem_cmd_handler` errors (§3.4): the echoed command is redacted (an `AT+CWJAP` carries the password). */
export function classifyModemMessage(message: string): ClassifiedMessage | null {
  const m = MODEM_CMD.exec(message) ?? MODEM_PROCESS.exec(message);
  if (!m) return null;
  const fields: Record<string, FieldValue> = { command: redactSecrets(m[1]!) };
  withErrno(fields, m[2]);
  return { kind: 'modem.cmd_failed', fields };
}
