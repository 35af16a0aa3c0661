import { describe, expect, it } from 'vitest';
import { Harness } from './analyzer-harness.ts';

describe('shared-UART detector', () => {
  it('raises uart.shared once per boot when ESP-AT traffic shows up on a console port', () => {
    const h = new Harness('zephyr', { analyzers: { shared_uart_min_lines: 2 } });
    h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } });
    h.feed({ kind: 'esp-at.command', message: 'AT+RST', fields: { command: 'AT+RST', result: 'none', atTraffic: true } });
    expect(h.events('uart.shared')).toHaveLength(0);
    h.feed({ kind: 'esp-at.ready', message: 'ready', fields: { atTraffic: true } });
    h.feed({ kind: 'esp-at.wifi', message: 'WIFI GOT IP', fields: { state: 'got_ip', atTraffic: true } });
    const ev = h.events('uart.shared');
    expect(ev).toHaveLength(1);
    expect(ev[0]?.severity).toBe('warning');
    expect(ev[0]?.lines).toEqual({ port: 'console', first: 1, last: 2 });
    expect(ev[0]?.hint).toBe('console and ESP module on one UART: move the console (USART3 variant, formats §6.4)');
    h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } });
    h.feed({ kind: 'esp-at.ready', message: 'ready', fields: { atTraffic: true } });
    h.feed({ kind: 'esp-at.ready', message: 'ready', fields: { atTraffic: true } });
    expect(h.events('uart.shared')).toHaveLength(2);
  });

  it('stays quiet on the ESP module\'s own port', () => {
    const h = new Harness('esp-at', { analyzers: { shared_uart_min_lines: 1 } }, 'esp');
    h.feed({ kind: 'esp-at.ready', message: 'ready', fields: { atTraffic: true } });
    expect(h.events('uart.shared')).toHaveLength(0);
  });
});
