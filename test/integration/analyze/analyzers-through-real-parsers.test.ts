import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnalyzeReport } from '../../../daemon/analyze/analyze-report.ts';
import { analyze } from './analyze-harness.ts';
import { reportProblems } from './report-shape.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uartscope-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function report(name: string, text: string, extra: string[] = []): Promise<AnalyzeReport> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = await analyze([file, '--json', ...extra]);
  expect(r.stderr).toBe('');
  const rep = JSON.parse(r.stdout) as AnalyzeReport;
  expect(reportProblems(rep)).toEqual([]);
  return rep;
}

// Formats as on the wire (reference/formats.md §1.8, §2.2, §2.4, §5.2), CRLF line ends.
const CRASHING_CONSOLE = [
  '*** Booting Zephyr OS build v4.1.0-1222-g271047d959e9 ***',
  '[00:00:00.010,000] <inf> MAIN: Hello in WiFi App!',
  'AT+RST',
  'ready',
  'ATE0',
  '--- 12 messages dropped ---',
  'ASSERTION FAIL [buf != NULL] @ drivers/buf.c:123',
  '\tbuffer is NULL',
  '[00:00:02.000,000] <err> os: r0/a1:  0x00000004  r1/a2:  0x00000000  r2/a3:  0x00000000',
  '[00:00:02.000,000] <err> os: >>> ZEPHYR FATAL ERROR 4: Kernel panic on CPU 0',
  '[00:00:02.000,000] <err> os: Current thread: 0x20000a10 (main)',
  '[00:00:02.000,000] <err> os: Halting system',
  '*** Booting Zephyr OS build v4.1.0-1222-g271047d959e9 ***',
  '[00:00:05.120,000] <err> os: ***** BUS FAULT *****',
  '[00:00:05.120,000] <err> os:   Precise data bus error',
  '[00:00:05.120,000] <err> os:   BFAR Address: 0x50000000',
  '[00:00:05.121,000] <err> os: Faulting instruction address (r15/pc): 0x10001a30',
  '[00:00:05.121,000] <err> os: >>> ZEPHYR FATAL ERROR 25: Unknown error on CPU 0',
  '[00:00:05.121,000] <err> os: Current thread: 0x20000a10 (main)',
  '[00:00:05.400,000] <err> os: Halting system',
  '',
].join('\r\n');

describe('analyzers through the real parsers', () => {
  it('finds the shared UART, dropped messages, the assert, both faults and the reboot in a crashing console', async () => {
    const rep = await report('crash.log', CRASHING_CONSOLE);
    const kinds = rep.events.map((e) => e.kind);
    expect(kinds).toEqual(['boot', 'uart.shared', 'log.dropped', 'assert', 'fault', 'reboot', 'boot', 'fault']);
    const [panic, bus] = rep.events.filter((e) => e.kind === 'fault');
    expect(panic?.title).toBe('Fatal error: Kernel panic in thread main');
    expect(panic?.lines).toMatchObject({ first: 8, last: 11 });
    expect(bus?.title).toContain('BUS FAULT');
    expect(bus?.title).toContain('at PC 0x10001a30 in thread main');
    expect(bus?.severity).toBe('critical');
    expect(rep.events.find((e) => e.kind === 'assert')?.attrs).toMatchObject({ expr: 'buf != NULL', file: 'drivers/buf.c', lineNo: 123, detail: 'buffer is NULL' });
    expect(rep.events.find((e) => e.kind === 'log.dropped')?.attrs['count']).toBe(12);
    expect(rep.boots.map((b) => b.endReason)).toEqual(['fault', 'fault']);
    expect(rep.events.find((e) => e.kind === 'reboot')?.attrs['previousEndReason']).toBe('fault');
  });

  it('reports a hypervisor ERROR that ends without a newline as fatal', async () => {
    const rep = await report('hv.log', 'Bao Hypervisor\r\nBAO INFO: init\r\nBAO ERROR: failed to register sau entry', ['--role', 'hypervisor']);
    const hv = rep.events.filter((e) => e.kind === 'hv.error');
    expect(hv).toHaveLength(1);
    expect(hv[0]?.title).toBe('Hypervisor error: failed to register sau entry (the hypervisor halts)');
    expect(rep.boots.map((b) => b.endReason)).toEqual(['hv.error']);
  });

  it('follows a successful Wi-Fi bring-up to the DHCP address', async () => {
    const rep = await report(
      'ok.log',
      [
        '[00:00:00.000,000] <inf> wifi_esp_at: ESP Wi-Fi ready',
        '*** Booting Zephyr OS build v4.1.0 ***',
        '[00:00:13.232,000] <inf> MAIN: Connecting to Wi-Fi network lab...',
        '[00:00:14.100,000] <inf> MAIN: Connected to lab',
        '[00:00:15.200,000] <inf> MAIN:    Address[1]: 192.168.4.23',
        '',
      ].join('\r\n'),
    );
    expect(rep.wifi).toEqual([expect.objectContaining({ outcome: 'connected', ip: '192.168.4.23', ssid: 'lab' })]);
    expect(rep.boots[0]?.milestones.map((m) => m.name)).toEqual(['esp.ready', 'banner', 'wifi.connected', 'dhcp.bound']);
    expect(rep.events.filter((e) => e.severity !== 'info')).toEqual([]);
  });

  it('explains the UC1 guide\'s failure: old AT firmware rejects AT+CWMODE=0, so the interface never comes up (formats §3.3)', async () => {
    const rep = await report(
      'uc1.log',
      [
        '[00:00:00.000,000] <inf> wifi_esp_at: DT has external_reset',
        '[00:00:00.000,000] <inf> wifi_esp_at: Waiting for interface to come up by itself...',
        '[00:00:03.001,000] <inf> wifi_esp_at: Result: -11',
        '[00:00:03.001,000] <inf> wifi_esp_at: ESP_AT: sending RST CMD',
        '[00:00:03.231,000] <inf> wifi_esp_at: Waiting for interface to come up',
        '[00:00:03.394,000] <inf> wifi_esp_at: AT version: 1.6.2.0(Apr 13 2018 11:10:59)',
        '[00:00:03.396,000] <inf> wifi_esp_at: SDK version: 2.2.1(6ab97e9)',
        '[00:00:03.767,000] <err> modem_cmd_handler: command AT+CWMODE=0 ret:-5',
        '[00:00:03.767,000] <err> wifi_esp_at: Init failed -5',
        '[00:00:13.231,000] <err> wifi_esp_at: Timeout waiting for interface',
        '*** Booting Zephyr OS build v4.1.0-1222-g271047d959e9 ***',
        '[00:00:13.232,000] <inf> MAIN: Hello in WiFi App!',
        '[00:00:13.232,000] <inf> MAIN: Connecting to Wi-Fi network 3mdeb_abr...',
        '[00:00:13.232,000] <err> MAIN: Failed to connect to Wi-Fi network: -115',
        '',
      ].join('\r\n'),
    );
    expect(rep.boots).toHaveLength(1);
    const init = rep.events.find((e) => e.kind === 'esp.init_failed');
    expect(init?.title).toBe('ESP module init failed (-5 EIO) at AT+CWMODE=0');
    expect(init?.hint).toContain('flash AT 2.x firmware');
    expect(rep.events.filter((e) => e.kind === 'esp.reset_failed')).toHaveLength(0);
    const connect = rep.events.find((e) => e.kind === 'wifi.connect_failed');
    expect(connect?.hint).toBe('the interface never came up: see the ESP init failure before it');
    expect(connect?.attrs['causeEventId']).toBe(init?.id);
  });
});

