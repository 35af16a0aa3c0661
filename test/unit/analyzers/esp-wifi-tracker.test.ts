import { describe, expect, it } from 'vitest';
import { Harness, feedSeedResetFailure } from './analyzer-harness.ts';

describe('ESP/Wi-Fi tracker', () => {
  it('reports the seed reset failure with the errno and the three AT+RST tries', () => {
    const h = new Harness();
    feedSeedResetFailure(h);
    const [ev] = h.events('esp.reset_failed');
    expect(ev?.severity).toBe('error');
    expect(ev?.title).toBe('ESP reset failed after 3 tries (-116 ETIMEDOUT)');
    expect(ev?.attrs['tries']).toBe(3);
    expect(ev?.attrs['errno']).toBe(-116);
    expect(ev?.attrs['deviceDurationS']).toBe(12.001);
    expect(ev?.attrs['hostDurationS']).toBeCloseTo(12, 1);
    // The event spans the reset sequence, from the wait line to the failure.
    expect(ev?.lines).toEqual({ port: 'console', first: 1, last: 6 });
    expect(ev?.hint).toContain('AT+RST');
  });

  it('names a disagreement between real time and device time in the title', () => {
    const h = new Harness();
    feedSeedResetFailure(h, 2); // host time runs twice as long as device time
    const [ev] = h.events('esp.reset_failed');
    expect(ev?.title).toBe('ESP reset failed after 3 tries (-116 ETIMEDOUT): 24.0 s of real time but 12.0 s of device time');
    expect(ev?.hint).toContain('clock.drift');
  });

  it('reports no host duration when the capture has no real host times', () => {
    const h = new Harness('zephyr', {}, 'console', [], false);
    feedSeedResetFailure(h, 0);
    const [ev] = h.events('esp.reset_failed');
    expect(ev?.attrs['hostDurationS']).toBeNull();
    expect(ev?.title).toBe('ESP reset failed after 3 tries (-116 ETIMEDOUT)');
  });

  it('decodes the connect failure and points at the reset failure before it', () => {
    const h = new Harness();
    feedSeedResetFailure(h);
    const [reset] = h.events('esp.reset_failed');
    const [ev] = h.events('wifi.connect_failed');
    expect(ev?.title).toBe('Wi-Fi connect to rpi3-hotspot failed: -115 ENETDOWN');
    expect(ev?.hint).toBe('the interface never came up: see the ESP reset failure before it');
    expect(ev?.attrs['causeEventId']).toBe(reset?.id);
    expect(ev?.attrs['resetAttempts']).toBe(3);
    const s = h.analysis.wifi();
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ phase: 'connect_failed', ssid: 'rpi3-hotspot', lastErrno: -115, lastErrnoName: 'ENETDOWN', resetAttempts: 3, resetFailed: true });
    // The state is published with the boot too.
    expect(h.boots()[0]?.attrs?.['wifi.outcome']).toBe('failed');
  });

  it('does not take the UC1 app\'s unconditional "Connected to" after a failure for an association', () => {
    const h = new Harness();
    h.feed({ kind: 'wifi.connecting', message: 'Connecting to Wi-Fi network ap...', fields: { ssid: 'ap' } });
    h.feed({ kind: 'wifi.connect_failed', message: 'Connection request failed (-5)', fields: { errno: -5, errnoName: 'EIO' } });
    h.feed({ kind: 'wifi.connected', message: 'Connected to ap', fields: { ssid: 'ap' } });
    expect(h.events('wifi.connected')).toHaveLength(0);
  });

  it('follows a successful bring-up: ready, connected, address, each a milestone', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } });
    h.feed({ kind: 'esp_at.ready', message: 'ESP Wi-Fi ready', deviceMs: 400 });
    h.feed({ kind: 'wifi.connecting', message: 'Connecting to Wi-Fi network lab...', fields: { ssid: 'lab' }, deviceMs: 500 });
    h.feed({ kind: 'wifi.connected', message: 'Connected to lab', fields: { ssid: 'lab' }, deviceMs: 2000 });
    h.feed({ kind: 'dhcp.bound', message: '   Address[1]: 192.168.4.23', fields: { ip: '192.168.4.23' }, deviceMs: 3000 });
    expect(h.events('wifi.connected')[0]?.title).toBe('Wi-Fi connected to lab');
    expect(h.events('dhcp.bound')[0]?.attrs['ip']).toBe('192.168.4.23');
    expect(h.boots()[0]?.milestones.map((m) => m.name)).toEqual(['banner', 'esp.ready', 'wifi.connected', 'dhcp.bound']);
    expect(h.analysis.wifi()[0]).toMatchObject({ phase: 'bound', ip: '192.168.4.23' });
  });

  it('reads the module UART: AT+RST tries, a +CWJAP error, and an address from +CIPSTA', () => {
    const h = new Harness('esp-at', {}, 'esp');
    h.feed({ kind: 'esp-at.command', message: 'AT+RST', fields: { command: 'AT+RST', result: 'OK' } });
    h.feed({ kind: 'esp-at.ready', message: 'ready' });
    h.feed({ kind: 'esp-at.cwjap_error', message: '+CWJAP:2', fields: { code: 2, meaning: 'wrong password' } });
    expect(h.events('wifi.connect_failed')[0]?.hint).toBe('wrong Wi-Fi password');
    h.feed({ kind: 'esp-at.wifi', message: 'WIFI CONNECTED', fields: { state: 'connected' } });
    h.feed({ kind: 'esp-at.ip', message: '+CIPSTA:ip:"10.0.0.7"', fields: { ip: '10.0.0.7' } });
    expect(h.events('wifi.connected')).toHaveLength(1);
    expect(h.events('dhcp.bound')[0]?.title).toBe('Address acquired: 10.0.0.7');
    expect(h.analysis.wifi()[0]?.resetAttempts).toBe(1);
  });

  it('explains an init failure of old AT firmware', () => {
    const h = new Harness();
    h.feed({ kind: 'esp_at.init_failed', message: 'Init failed -5', fields: { errno: -5, errnoName: 'EIO' } });
    expect(h.events('esp.init_failed')[0]?.hint).toContain('AT+CWMODE=0');
  });

  it('names the AT command the module rejected in the init failure (UC1 guide: AT+CWMODE=0 on AT 1.6 firmware)', () => {
    const h = new Harness();
    h.feed({ kind: 'modem.cmd_failed', message: 'command AT+CWMODE=0 ret:-5', fields: { command: 'AT+CWMODE=0', errno: -5, errnoName: 'EIO' } });
    h.feed({ kind: 'esp_at.init_failed', message: 'Init failed -5', fields: { errno: -5, errnoName: 'EIO' } });
    const [ev] = h.events('esp.init_failed');
    expect(ev?.title).toBe('ESP module init failed (-5 EIO) at AT+CWMODE=0');
    expect(ev?.attrs['command']).toBe('AT+CWMODE=0');
  });
});

