import { describe, expect, it } from 'vitest';
import { classifyDriverMessage, classifyModemMessage } from '../../../parsers/esp-at/driver-message.ts';

// Every message text of reference/formats.md §3.2 (upstream esp.c) and §3.3 (3mdeb fork).
const MESSAGES: Array<[string, string]> = [
  ['Switch to mode 1', 'esp_at.message'],
  ['Failed to switch to mode 0: -5', 'esp_at.message'],
  ['Failed to parse MAC address', 'esp_at.message'],
  ['Invalid MAC address', 'esp_at.message'],
  ['Could not set DNS servers: -22', 'esp_at.message'],
  ['Invalid DNS address: x', 'esp_at.message'],
  ['Socket 2 left open, manually closing', 'esp_at.message'],
  ['Unknown IP type ip6', 'esp_at.message'],
  ['Failed to query IP settings: ret -116', 'esp_at.message'],
  ['DNS fetch failed: -5', 'esp_at.message'],
  ['No socket for link 3', 'esp_at.message'],
  ['Invalid IPD: +IPD,9', 'esp_at.message'],
  ['Failed to pull remote_ip', 'esp_at.message'],
  ['Busy sending', 'esp_at.message'],
  ['Busy processing', 'esp_at.message'],
  ['Unexpected reset', 'esp_at.unexpected_reset'],
  ['AT version: 2.2.0.0(s-b097cdf - ESP8266 - Jun 17 2021 12:57:45)', 'esp_at.version'],
  ['SDK version: v3.4-22-g967752e2', 'esp_at.version'],
  ['compile time: Jun 17 2021 13:02:55', 'esp_at.version'],
  ['Bin version: 2.2.0(Cytron_ESP-12F_WROOM-02)', 'esp_at.version'],
  ['Failed to request STA status: ret -116', 'esp_at.message'],
  ['Failed to scan: ret -5', 'esp_at.message'],
  ['Failed to enable AP mode, ret -5', 'esp_at.message'],
  ['Init failed -5', 'esp_at.init_failed'],
  ['Baudrate change failed -22', 'esp_at.message'],
  ['ESP Wi-Fi ready', 'esp_at.ready'],
  ['Failed to reset device: -116', 'esp_at.reset_failed'],
  ['Waiting for interface to come up', 'esp_at.message'],
  ['Timeout waiting for interface', 'esp_at.iface_timeout'],
  ['Error registering modem context: -12', 'esp_at.message'],
  ['Failed to configure power pin', 'esp_at.message'],
  ['DT has external_reset', 'esp_at.message'],
  ['Waiting for interface to come up by itself...', 'esp_at.reset_wait'],
  ['Result: -11', 'esp_at.reset_result'],
  ['Result: 0', 'esp_at.reset_result'],
  ['ESP_AT: sending RST CMD', 'esp_at.rst_sent'],
  ['DT has power_gpios', 'esp_at.message'],
  ['DT has reset_gpios', 'esp_at.message'],
  ['Setting up modem RX handler...', 'esp_at.message'],
  ['Starting RX thread...', 'esp_at.message'],
  ['give sem_if_ready', 'esp_at.message'],
];

describe('classifyDriverMessage', () => {
  it.each(MESSAGES)('classifies %s', (message, kind) => {
    const c = classifyDriverMessage(message);
    expect(c?.kind).toBe(kind);
    if (kind === 'esp_at.message') expect(typeof c?.fields['meaning']).toBe('string');
  });

  it('decodes the errno of a message that carries one, and 0 as OK', () => {
    expect(classifyDriverMessage('Failed to switch to mode 0: -116')?.fields).toMatchObject({ errno: -116, errnoName: 'ETIMEDOUT' });
    expect(classifyDriverMessage('Result: 0')?.fields).toMatchObject({ errno: 0, errnoName: 'OK' });
  });

  it('returns null for other text', () => {
    expect(classifyDriverMessage('Hello in WiFi App!')).toBeNull();
  });
});

describe('classifyModemMessage', () => {
  it('reads both modem_cmd_handler error forms', () => {
    expect(classifyModemMessage('command AT+CWMODE=0 ret:-5')?.fields).toMatchObject({ command: 'AT+CWMODE=0', errno: -5, errnoName: 'EIO' });
    expect(classifyModemMessage('process cmd [+CIPSTA:ip:"1.2.3.4"] (len:24, ret:-22)')?.fields).toMatchObject({ errno: -22, errnoName: 'EINVAL' });
  });
});
