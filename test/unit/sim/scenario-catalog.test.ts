import { describe, expect, it } from 'vitest';
import { CYCLE_LINGER_MS, SCENARIOS, SCENARIO_NAMES, cycleWrites } from '../../../daemon/sim/scenario-catalog.ts';
import { espRomNoise } from '../../../daemon/sim/esp-rom-noise.ts';
import { SIM_WIFI_PASSWORD } from '../../../daemon/sim/sim-board-facts.ts';
import type { SimWrite } from '../../../daemon/sim/sim-write.ts';
import { deviceMs, lines, printableShare, take, text, uptimeMs, type ScriptLine } from './script-lines.ts';

const TAIL_MS = 30_000;
const script = (name: (typeof SCENARIO_NAMES)[number]): SimWrite[] =>
  take(SCENARIOS[name].writes(), SCENARIOS[name].storyMs + TAIL_MS);
const noise = Buffer.from(espRomNoise());
const isNoise = (w: SimWrite): boolean => Buffer.from(w.bytes).equals(noise);

/** Splits stamped console lines into boots where device time goes backwards. */
function boots(stamped: readonly ScriptLine[]): ScriptLine[][] {
  const out: ScriptLine[][] = [];
  let prev = Number.POSITIVE_INFINITY;
  for (const l of stamped) {
    const d = deviceMs(l) ?? uptimeMs(l) ?? 0;
    if (d < prev) out.push([]);
    out.at(-1)?.push(l);
    prev = d;
  }
  return out;
}

describe.each(SCENARIO_NAMES)('scenario %s', (name) => {
  const writes = script(name);
  const factor = SCENARIOS[name].deviceClockFactor;

  it('has writes whose host times never go backwards', () => {
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.atMs).toBeGreaterThanOrEqual(writes[i - 1]!.atMs);
    expect(writes[0]!.atMs).toBeGreaterThanOrEqual(0);
  });

  it('ends every text write with CR LF, except the hypervisor ERROR tail and wrong-baud bytes', () => {
    const switched = writes.findIndex((w) => text(w).startsWith('AT+UART_CUR=460800'));
    for (const [i, w] of writes.entries()) {
      if (isNoise(w)) continue;
      if (switched >= 0 && i > switched + 1 && w.uart === 'esp') continue; // after the module's OK, at 460800
      if (text(w).startsWith('BAO ERROR:')) {
        expect(text(w).endsWith('\n')).toBe(false);
        continue;
      }
      expect(text(w), `${w.uart} at ${w.atMs}`).toMatch(/\r\n$/);
      expect(text(w).replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
  });

  it('gives the same bytes at the same times every time it is played', () => {
    const again = script(name);
    expect(again.map((w) => [w.atMs, w.uart, text(w)])).toEqual(writes.map((w) => [w.atMs, w.uart, text(w)]));
  });

  it('stamps log lines and Uptime lines with device time advancing at the clock factor', () => {
    const stamped = lines(writes, 'console').filter((l) => deviceMs(l) !== undefined || uptimeMs(l) !== undefined);
    if (name === 'hv-error') {
      expect(stamped).toEqual([]);
      return;
    }
    for (const boot of boots(stamped)) {
      // Every line implies when the device booted: host time minus device time / factor. A line
      // leaves the UART after it was stamped (a burst such as the fault dump queues ~80 ms of
      // wire time) and device ms are truncated, so these agree to within one device ms in host
      // time plus a burst's wire time.
      const dev = (l: ScriptLine): number => deviceMs(l) ?? uptimeMs(l)!;
      const implied = boot.map((l) => l.atMs - dev(l) / factor);
      expect(Math.max(...implied) - Math.min(...implied)).toBeLessThan(1 / factor + 150);
      const first = boot[0]!;
      const last = boot.at(-1)!;
      if (last.atMs - first.atMs > 10_000) {
        expect((dev(last) - dev(first)) / (last.atMs - first.atMs) / factor).toBeCloseTo(1, 1);
      }
    }
  });

  it('colours err and wrn lines as Zephyr does: colour after the timestamp, reset before CR LF', () => {
    const errs = lines(writes).filter((l) => /<(err|wrn)> /.test(l.raw));
    for (const l of errs) expect(l.raw).toMatch(/^\[[^\]]+\] \x1b\[1;3[13]m<(err|wrn)> .*\x1b\[0m$/);
    if (['seed', 'fault'].includes(name)) expect(errs.length).toBeGreaterThan(0);
  });
});

describe('the seed scenario', () => {
  const writes = script('seed');
  const console_ = lines(writes, 'console');
  const texts = console_.map((l) => l.text.replace(/^\[[^\]]+\] /, ''));

  it('prints the driver lines before the banner, as in fixtures/seed', () => {
    const expected = [
      '<inf> wifi_esp_at: DT has external_reset',
      '<inf> wifi_esp_at: Waiting for interface to come up by itself...',
      '<inf> wifi_esp_at: Result: -11',
      '<inf> wifi_esp_at: ESP_AT: sending RST CMD',
      '<inf> wifi_esp_at: ESP_AT: sending RST CMD',
      '<inf> wifi_esp_at: ESP_AT: sending RST CMD',
      '<err> wifi_esp_at: Failed to reset device: -116',
      '*** Booting Zephyr OS build v4.1.0-1219-g584f2f86f905 ***',
      '<inf> MAIN: Hello in WiFi App!',
      '<inf> MAIN: Connecting to Wi-Fi network rpi3-hotspot...',
      '<err> MAIN: Failed to connect to Wi-Fi network: -115',
      '<inf> MAIN: Run dhcpv4 client',
      '<inf> MAIN: Start on mikroe_wifi_bt_click: index=1',
    ];
    expect(texts.slice(0, expected.length)).toEqual(expected);
    expect(console_.slice(0, expected.length).map((l) => deviceMs(l) ?? null)).toEqual([
      0, 0, 3000, 3000, 6000, 9000, 12001, null, 12001, 12001, 12001, 12001, 12001,
    ]);
  });

  it('sends the three resets 3 s apart in device time, 24 s apart on the host', () => {
    const rst = console_.filter((l) => l.text.endsWith('sending RST CMD'));
    expect(rst).toHaveLength(3);
    // The first one queues behind `Result: -11` on the wire (~5 ms).
    expect(Math.abs(rst[1]!.atMs - rst[0]!.atMs - 24_000)).toBeLessThan(10);
    expect(Math.abs(rst[2]!.atMs - rst[1]!.atMs - 24_000)).toBeLessThan(10);
  });

  it('shows the module getting AT+RST three times and never answering ready', () => {
    const esp = lines(writes, 'esp').map((l) => l.text);
    expect(esp).toEqual(['AT+RST', 'AT+RST', 'AT+RST']);
  });

  it('prints Uptime lines one device second apart, which is 8 s of host time', () => {
    const up = console_.filter((l) => uptimeMs(l) !== undefined);
    expect(up.length).toBeGreaterThanOrEqual(3);
    expect(uptimeMs(up[0]!)).toBe(13001);
    for (let i = 1; i < up.length; i++) {
      const dDev = uptimeMs(up[i]!)! - uptimeMs(up[i - 1]!)!;
      const dHost = up[i]!.atMs - up[i - 1]!.atMs;
      expect(dDev).toBeGreaterThanOrEqual(1000);
      expect(dDev).toBeLessThanOrEqual(1001);
      expect(dDev / dHost).toBeCloseTo(0.125, 3);
    }
  });

  it('prints the hypervisor banner and INFO lines on hv before the VM says anything', () => {
    const hv = lines(writes, 'hv');
    expect(hv[0]!.text).toBe('   _____ _____   ____   _____ _____  _____ ____  _   _ ');
    expect(hv.some((l) => /^ +\|___\/\|_\| \d\d:\d\d:\d\d$/.test(l.text))).toBe(true);
    expect(hv.filter((l) => l.text.startsWith('BAO INFO: ')).length).toBeGreaterThanOrEqual(3);
    expect(hv.at(-1)!.atMs).toBeLessThan(console_[0]!.atMs);
  });
});

describe('the healthy scenario', () => {
  const writes = script('healthy');
  const esp = lines(writes, 'esp').map((l) => l.text);
  const console_ = lines(writes, 'console').map((l) => l.text);

  it('joins the access point over ESP-AT with the password in AT+CWJAP, then gets its address', () => {
    const join = esp.findIndex((l) => l.startsWith('AT+CWJAP='));
    expect(esp[join]).toBe(`AT+CWJAP="rpi3-hotspot","${SIM_WIFI_PASSWORD.replace(',', '\\,')}"`);
    expect(esp.slice(join + 1, join + 4)).toEqual(['WIFI CONNECTED', 'WIFI GOT IP', 'OK']);
    expect(esp).toContain('+CIPSTA:ip:"192.168.4.23"');
    expect(esp[0]).toBe('');
    expect(esp[1]).toBe('ready');
  });

  it('logs ESP Wi-Fi ready before the banner and the DHCP address after it', () => {
    const ready = console_.findIndex((l) => l.endsWith('<inf> wifi_esp_at: ESP Wi-Fi ready'));
    const banner = console_.findIndex((l) => l.startsWith('*** Booting Zephyr OS build'));
    const addr = console_.findIndex((l) => l.endsWith('<inf> MAIN:    Address[1]: 192.168.4.23'));
    expect(ready).toBeGreaterThan(0);
    expect(banner).toBeGreaterThan(ready);
    expect(addr).toBeGreaterThan(banner);
    expect(console_.some((l) => l.endsWith('<inf> MAIN: Connected to rpi3-hotspot'))).toBe(true);
  });

  it('prints Uptime lines at a device clock ratio of 1', () => {
    const up = lines(writes, 'console').filter((l) => uptimeMs(l) !== undefined);
    expect(up.length).toBeGreaterThan(10);
    const first = up[0]!;
    const last = up.at(-1)!;
    expect((uptimeMs(last)! - uptimeMs(first)!) / (last.atMs - first.atMs)).toBeCloseTo(1, 3);
  });
});

describe('the fault scenario', () => {
  const writes = script('fault');
  const console_ = lines(writes, 'console');
  const body = console_.map((l) => l.text.replace(/^\[[^\]]+\] /, ''));

  it('dumps the fault as Zephyr does, every line from module os at err', () => {
    const start = body.indexOf('<err> os: ***** HARD FAULT *****');
    expect(start).toBeGreaterThan(0);
    expect(body.slice(start, start + 12)).toEqual([
      '<err> os: ***** HARD FAULT *****',
      '<err> os:   Fault escalation (see below)',
      '<err> os: ***** BUS FAULT *****',
      '<err> os:   Precise data bus error',
      '<err> os:   BFAR Address: 0x50000000',
      '<err> os: r0/a1:  0x00000000  r1/a2:  0x00000001  r2/a3:  0x20001234',
      '<err> os: r3/a4:  0x00000000 r12/ip:  0x00000000 r14/lr:  0x10001a2b',
      '<err> os:  xpsr:  0x61000000',
      '<err> os: Faulting instruction address (r15/pc): 0x10001a30',
      '<err> os: >>> ZEPHYR FATAL ERROR 25: Unknown error on CPU 0',
      '<err> os: Current thread: 0x20000a10 (main)',
      '<err> os: Halting system',
    ]);
  });

  it('goes silent after Halting system, then reboots with a new banner and device time from 0', () => {
    const halt = console_.findIndex((l) => l.text.endsWith('Halting system'));
    const after = writes.filter((w) => w.atMs > console_[halt]!.atMs);
    expect(after[0]!.atMs - console_[halt]!.atMs).toBeGreaterThanOrEqual(5000);
    expect(after[0]!.uart).toBe('hv');
    const rest = console_.slice(halt + 1);
    expect(deviceMs(rest[0]!)).toBe(0);
    expect(rest.some((l) => l.text.startsWith('*** Booting Zephyr OS build'))).toBe(true);
    expect(body.filter((l) => l.startsWith('*** Booting Zephyr OS build'))).toHaveLength(2);
  });
});

describe('the hv-error scenario', () => {
  const all = [...SCENARIOS['hv-error'].writes()];

  it('ends with the ERROR without a newline on hv, and nothing on any port after it', () => {
    const last = all.at(-1)!;
    expect(last.uart).toBe('hv');
    expect(text(last)).toBe('BAO ERROR: failed to register sau entry');
    expect(all.filter((w) => w.uart !== 'hv')).toEqual([]);
    expect(lines(all, 'hv').some((l) => l.text.startsWith('BAO INFO: '))).toBe(true);
  });
});

describe('the garbage scenario', () => {
  const esp = script('garbage').filter((w) => w.uart === 'esp');

  it('sends mostly non-ASCII ROM noise on esp, then ready', () => {
    const i = esp.findIndex(isNoise);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(esp[i]!.bytes.length).toBeGreaterThan(200);
    expect(printableShare(esp[i]!.bytes)).toBeLessThan(0.5);
    expect(text(esp[i + 1]!)).toBe('\r\nready\r\n');
  });
});

describe('the garbage scenario after the module moves to 460800 baud', () => {
  const writes = script('garbage');

  it('shows garbage on the esp tap for the rest of the boot while the console connects normally', () => {
    const esp = writes.filter((w) => w.uart === 'esp');
    const ok = esp.findIndex((w) => text(w).startsWith('AT+UART_CUR=460800,8,1,0,0')) + 1;
    expect(text(esp[ok]!)).toBe('OK\r\n');
    const after = Buffer.concat(esp.slice(ok + 1).map((w) => w.bytes));
    expect(after.length).toBeGreaterThan(100);
    expect(printableShare(after)).toBeLessThan(0.5);
    expect(after.toString('latin1')).not.toContain('WIFI');
    expect(lines(writes, 'console').some((l) => l.text.endsWith('Address[1]: 192.168.4.23'))).toBe(true);
  });
});

describe('the shared-uart scenario', () => {
  const writes = script('shared-uart');
  const console_ = lines(writes, 'console').map((l) => l.text);

  it('puts AT traffic on the console between Zephyr log lines and leaves the esp tap silent', () => {
    const idx = (p: (l: string) => boolean): number => console_.findIndex(p);
    const rst = idx((l) => l === 'AT+RST');
    const ready = idx((l) => l === 'ready');
    const cwjap = idx((l) => l.startsWith('AT+CWJAP="rpi3-hotspot",'));
    const gotIp = idx((l) => l === 'WIFI GOT IP');
    expect(rst).toBeGreaterThan(0);
    expect(ready).toBeGreaterThan(rst);
    expect(cwjap).toBeGreaterThan(ready);
    expect(gotIp).toBeGreaterThan(cwjap);
    expect(console_.slice(rst, gotIp).some((l) => /^\[[^\]]+\] <inf> /.test(l))).toBe(true);
    expect(writes.filter((w) => w.uart === 'esp')).toEqual([]);
  });
});

describe('the cycle', () => {
  it('plays the seed first, then each scenario after its story and linger, in time order', () => {
    const seedSpan = SCENARIOS.seed.storyMs + CYCLE_LINGER_MS;
    const healthySpan = SCENARIOS.healthy.storyMs + CYCLE_LINGER_MS;
    const writes = take(cycleWrites(), seedSpan + healthySpan + 1000);
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.atMs).toBeGreaterThanOrEqual(writes[i - 1]!.atMs);
    const seedLines = lines(writes.filter((w) => w.atMs < seedSpan), 'console').map((l) => l.text);
    expect(seedLines.some((l) => l.includes('Failed to reset device: -116'))).toBe(true);
    const healthy = writes.filter((w) => w.atMs >= seedSpan && w.atMs < seedSpan + healthySpan);
    expect(healthy[0]!.atMs).toBe(seedSpan);
    expect(lines(healthy, 'esp').some((l) => l.text === 'WIFI GOT IP')).toBe(true);
    const fault = writes.filter((w) => w.atMs >= seedSpan + healthySpan);
    expect(fault[0]!.uart).toBe('hv');
  });
});
