import { existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { startSimBoard, type SimBoard } from '../../../daemon/sim/sim-board.ts';
import type { UartName } from '../../../daemon/sim/sim-uart.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'uartscope-sim-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Reader {
  readonly port: SerialPort;
  text(): string;
  closed: Promise<Error | null>;
}

/** Opens a link with the real serialport binding and collects what arrives. */
async function openReader(path: string): Promise<Reader> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  const chunks: Buffer[] = [];
  port.on('data', (d: Buffer) => chunks.push(d));
  const closed = new Promise<Error | null>((resolve) => port.once('close', (err: Error | null) => resolve(err ?? null)));
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  cleanups.push(async () => {
    if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
  });
  return { port, text: () => Buffer.concat(chunks).toString('latin1'), closed };
}

async function until(predicate: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

async function board<U extends UartName>(options: Parameters<typeof startSimBoard<U>>[0]): Promise<SimBoard<U>> {
  const b = await startSimBoard(options);
  cleanups.push(() => b.stop());
  return b;
}

describe('startSimBoard', () => {
  it('makes one link per UART under the directory, each a symlink to a pty', async () => {
    const dir = tempDir();
    const b = await board({ dir, scenario: 'healthy', delayMs: 60_000 });
    for (const u of ['hv', 'console', 'esp'] as const) {
      expect(b.links[u]).toBe(join(dir, u));
      expect(lstatSync(b.links[u]).isSymbolicLink()).toBe(true);
      expect(b.devices[u]).toMatch(/^\/dev\/pts\/\d+$/);
    }
  });

  it('delivers the healthy boot through real ptys to serialport readers, CR LF and colours intact', async () => {
    const b = await board({ dir: tempDir(), scenario: 'healthy', speed: 4, delayMs: 400 });
    const [hv, con, esp] = await Promise.all([openReader(b.links.hv), openReader(b.links.console), openReader(b.links.esp)]);
    expect(await until(() => con.text().includes('Address[1]: 192.168.4.23'), 20_000)).toBe(true);
    expect(await until(() => esp.text().includes('+CIPSTA:ip:"192.168.4.23"\r\n'), 5_000)).toBe(true);

    const c = con.text();
    expect(c).toContain('[00:00:00.000,000] \x1b[0m<inf> wifi_esp_at: DT has external_reset\x1b[0m\r\n');
    expect(c.indexOf('ESP Wi-Fi ready')).toBeLessThan(c.indexOf('*** Booting Zephyr OS build v4.1.0-1222-g271047d959e9 ***\r\n'));
    const e = esp.text();
    expect(e).toMatch(/AT\+CWJAP="rpi3-hotspot","[^"]+"\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\nOK\r\n/);
    expect(hv.text()).toContain('BAO INFO: ');
    expect(b.dropped()).toEqual({ hv: 0, console: 0, esp: 0 });
  });

  it('plays the seed story: three resets, the reset failure, then the banner', async () => {
    // 16x: the 96 s story (24 s between resets at a 1/8 device clock) takes 6 s.
    const b = await board({ dir: tempDir(), scenario: 'seed', uarts: ['console', 'esp'], speed: 16, delayMs: 300 });
    expect('hv' in b.links).toBe(false);
    const [con, esp] = await Promise.all([openReader(b.links.console), openReader(b.links.esp)]);
    expect(await until(() => con.text().includes('Start on mikroe_wifi_bt_click: index=1'), 30_000)).toBe(true);
    const c = con.text();
    expect(c.match(/ESP_AT: sending RST CMD/g)).toHaveLength(3);
    expect(c).toContain('[00:00:12.001,000] \x1b[1;31m<err> wifi_esp_at: Failed to reset device: -116\x1b[0m\r\n');
    expect(c.indexOf('Failed to reset device')).toBeLessThan(c.indexOf('*** Booting Zephyr OS build v4.1.0-1219-g584f2f86f905 ***'));
    expect(esp.text()).toBe('AT+RST\r\nAT+RST\r\nAT+RST\r\n');
  });

  it('unplugs on stop(): readers get close with disconnected, the links are gone', async () => {
    const dir = tempDir();
    const b = await startSimBoard({ dir, scenario: 'healthy', speed: 4, delayMs: 200 });
    cleanups.push(() => b.stop());
    const con = await openReader(b.links.console);
    const esp = await openReader(b.links.esp);
    expect(await until(() => con.text().includes('DT has external_reset'), 10_000)).toBe(true);
    await b.stop();
    const [errCon, errEsp] = await Promise.all([con.closed, esp.closed]);
    expect((errCon as (Error & { disconnected?: boolean }) | null)?.disconnected).toBe(true);
    expect((errEsp as (Error & { disconnected?: boolean }) | null)?.disconnected).toBe(true);
    for (const link of Object.values(b.links)) expect(existsSync(link)).toBe(false);
    await b.stop(); // a second stop is harmless
  });

  it('removes a directory it had to create', async () => {
    const dir = join(tempDir(), 'made-by-the-board');
    const b = await startSimBoard({ dir, scenario: 'hv-error', uarts: ['hv'] });
    expect(existsSync(b.links.hv)).toBe(true);
    await b.stop();
    expect(existsSync(dir)).toBe(false);
  });

  it('rejects, leaving nothing behind, when the pty helper cannot start', async () => {
    const dir = tempDir();
    await expect(startSimBoard({ dir, scenario: 'healthy', python: join(dir, 'no-such-python') })).rejects.toThrow();
    expect(existsSync(join(dir, 'console'))).toBe(false);
  });
});

describe('a port nobody reads', () => {
  const firstUptime = (text: string): number => Number(/Uptime: (\d+) ms\r\n/.exec(text)?.[1] ?? NaN);

  // 4000x: within 1.5 s the console sends ~6000 Uptime lines (over 100 KB, more than the kernel
  // buffers of a pty: 4 KB line discipline + 64 KB flip buffers) while nobody has the port open.
  // serialport flushes the tty's input on open; what matters is what the helper still holds.
  const speed = 4000;
  // How far (in real ms) the first line a late reader gets lies behind the script when it opened.
  // Device time = script time at a clock factor of 1. Measured here: overrun on, -2 to 0 ms (fresh;
  // a loaded CI machine once showed 11 ms, the helper descheduled with a few lines in its pipe);
  // overrun off, ~1,260 ms (the backlog the helper blocked on). 200 ms tells them apart with room.
  const staleRealMs = (openedAt: number, text: string): number => (openedAt - firstUptime(text)) / speed;
  it('loses what was sent before a reader opened it, like a UART, instead of replaying it late', async () => {
    const b = await board({ dir: tempDir(), scenario: 'healthy', uarts: ['console'], speed, startOn: 'links' });
    await new Promise((r) => setTimeout(r, 1500));
    const openedAt = b.position();
    const con = await openReader(b.links.console);
    expect(await until(() => /Uptime: \d+ ms\r\n/.test(con.text()), 10_000)).toBe(true);
    expect(con.text()).not.toContain('DT has external_reset');
    expect(staleRealMs(openedAt, con.text())).toBeLessThan(200);
  });

  it('replays a stale backlog to a late reader when overrun is off', async () => {
    const b = await board({ dir: tempDir(), scenario: 'healthy', uarts: ['console'], speed, overrun: false, startOn: 'links' });
    await new Promise((r) => setTimeout(r, 1500));
    const openedAt = b.position();
    const con = await openReader(b.links.console);
    expect(await until(() => /Uptime: \d+ ms\r\n/.test(con.text()), 10_000)).toBe(true);
    expect(staleRealMs(openedAt, con.text())).toBeGreaterThan(600);
  });
});

describe('when the board starts talking', () => {
  it('waits for the first reader to open a port, so a monitor gets the very first lines', async () => {
    const b = await board({ dir: tempDir(), scenario: 'healthy', uarts: ['hv', 'console'], startTimeoutMs: Number.POSITIVE_INFINITY });
    await new Promise((r) => setTimeout(r, 800));
    expect(b.position()).toBe(0);
    expect(b.opened()).toEqual([]);
    const hv = await openReader(b.links.hv);
    expect(await until(() => b.opened().includes('hv'), 5_000)).toBe(true);
    const con = await openReader(b.links.console);
    expect(await until(() => con.text().includes('Waiting for interface to come up by itself...'), 10_000)).toBe(true);
    expect(hv.text().startsWith('   _____ _____   ____   _____')).toBe(true);
    expect(con.text().startsWith('[00:00:00.000,000] \x1b[0m<inf> wifi_esp_at: DT has external_reset')).toBe(true);
  });

  it('starts anyway after startTimeoutMs when nobody opens a port', async () => {
    const b = await board({ dir: tempDir(), scenario: 'healthy', uarts: ['console'], startTimeoutMs: 200, delayMs: 0 });
    expect(await until(() => b.position() > 0, 10_000)).toBe(true);
    expect(b.opened()).toEqual([]);
  });
});

describe('startSimBoard arguments', () => {
  it('rejects a speed that is not a positive number before starting anything', async () => {
    const dir = tempDir();
    await expect(startSimBoard({ dir, scenario: 'healthy', speed: 0 })).rejects.toThrow(RangeError);
    expect(existsSync(join(dir, 'hv'))).toBe(false);
  });
});
