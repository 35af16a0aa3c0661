// The seed's story (fixtures/seed/): Zephyr in a CROSSCON/Bao VM, an ESP-AT module that never
// answers AT+RST (-116), a connect that fails with -115, and a device clock running 8x slow.
// Published onto a real EventBus as the pipeline would: line, then its record, then events.
import type { Boot } from '../../../daemon/core/boot.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import type { Line } from '../../../daemon/core/line.ts';
import type { DeviceTimeSource, Level } from '../../../daemon/core/parsed-record.ts';
import type { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { PortInfo } from '../../../daemon/pipeline/runtime.ts';
import { makeLine } from '../server/server-harness.ts';

export const CLOCK_HINT =
  'Ratio 1/8: Zephyr counts a 96 MHz timer (CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=96000000) but the hypervisor timer runs at 12 MHz. Set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=12000000 (PLAT_TIMER_FREQ).';

export function seedPorts(): PortInfo[] {
  return [
    { name: 'hv', role: 'hypervisor', source: '/dev/serial/by-id/usb-NXP_LPC-LINK2_VCOM-if00', baud: 115200, state: 'connected', lines: 0, bytes: 0, truncated: 0, partial: 0, dropped: 0, reconnects: 0 },
    { name: 'console', role: 'zephyr', source: '/dev/serial/by-id/usb-NXP_LPC-LINK2_VCOM-if02', baud: 115200, state: 'connected', lines: 0, bytes: 0, truncated: 0, partial: 0, dropped: 0, reconnects: 0 },
    { name: 'esp', role: 'esp-at', source: 'tcp://127.0.0.1:4001', baud: 115200, state: 'retrying', lastError: 'ECONNREFUSED', lines: 0, bytes: 0, truncated: 0, partial: 0, dropped: 0, reconnects: 3 },
  ];
}

export interface SeedResult {
  readonly events: BusEvent[];
  readonly nextSeq: Record<string, number>;
  readonly endHostTime: number;
}

/** Publishes the seed story starting at `t0` (host µs); counters of `ports` are updated as lines go by. */
export function publishSeed(bus: EventBus, ports: PortInfo[], t0: number): SeedResult {
  const seq: Record<string, number> = { hv: 0, console: 0, esp: 0 };
  const events: BusEvent[] = [];
  const RATIO = 0.125;
  let host = t0;

  const line = (port: string, text: string, o: { level?: Level; module?: string; dev?: number; src?: DeviceTimeSource; ansi?: string } = {}): Line => {
    const s = seq[port] ?? 0;
    seq[port] = s + 1;
    const l = makeLine(port, s, text, { hostTime: host, ...(o.ansi !== undefined ? { ansi: o.ansi } : {}) });
    bus.publish({ type: 'line', line: l });
    const p = ports.find((x) => x.name === port);
    if (p) {
      p.lines++;
      p.bytes += l.bytes.length;
      p.lastLineAt = host;
    }
    if (o.level !== undefined || o.dev !== undefined) {
      bus.publish({
        type: 'record',
        record: {
          line: l, lastSeq: s, dialect: 'zephyr', kind: o.src === 'uptime' ? 'zephyr.uptime' : 'zephyr.log', message: text, fields: {},
          ...(o.level !== undefined ? { level: o.level } : {}), ...(o.module !== undefined ? { module: o.module } : {}),
          ...(o.dev !== undefined ? { deviceTime: { us: o.dev, source: o.src ?? 'log', resolutionUs: 1000 } } : {}),
        },
      });
    }
    return l;
  };
  const stamp = (us: number) => {
    const ms = Math.floor(us / 1000);
    const s = Math.floor(ms / 1000);
    return `[00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')},000]`;
  };
  const zlog = (level: Level, module: string, msg: string, hostOffsetUs: number) => {
    const dev = Math.round(hostOffsetUs * RATIO);
    const text = `${stamp(dev)} <${level}> ${module}: ${msg}`;
    const colour = level === 'err' ? '\x1b[1;31m' : level === 'wrn' ? '\x1b[1;33m' : '';
    return line('console', text, { level, module, dev, src: 'log', ...(colour ? { ansi: `${colour}${text}\x1b[0m` } : {}) });
  };
  const event = (e: Omit<BusEvent, 'id' | 'hostTime' | 'boot'> & { boot?: string }) => {
    const ev: BusEvent = { id: `ev-${events.length}`, hostTime: host, boot: e.boot ?? 'console-0', ...e };
    events.push(ev);
    bus.publish({ type: 'event', event: ev });
    return ev;
  };

  // Hypervisor console.
  for (const t of ['Bao Hypervisor', 'BAO INFO: Initializing VM 0', 'BAO INFO: VM 0 is sharing IPI 0x3', 'BAO INFO: Initializing VM 1', 'BAO INFO: Starting VMs: 2 VMs, timer 12000000 Hz']) {
    line('hv', t);
    host += 2_000;
  }
  const hvBoot: Boot = { id: 'hv-0', port: 'hv', index: 0, hostStart: t0, firstSeq: 0, kind: 'bao', banner: 'Bao Hypervisor', milestones: [{ name: 'banner', hostTime: t0, seq: 0 }], endReason: 'running' };
  bus.publish({ type: 'boot', boot: hvBoot });

  // Zephyr VM console: the driver waits, resets three times, gives up.
  const c0 = host;
  const banner = line('console', '*** Booting Zephyr OS build v4.1.0-1219-g584f2f86f905 ***');
  const boot: Boot = {
    id: 'console-0', port: 'console', index: 0, hostStart: c0, firstSeq: banner.seq, kind: 'zephyr', version: 'v4.1.0-1219-g584f2f86f905',
    banner: '*** Booting Zephyr OS build v4.1.0-1219-g584f2f86f905 ***', milestones: [{ name: 'banner', hostTime: c0, deviceTime: 0, seq: banner.seq }], endReason: 'running',
  };
  bus.publish({ type: 'boot', boot });
  event({ kind: 'boot', severity: 'info', port: 'console', title: 'Zephyr v4.1.0-1219-g584f2f86f905 booted', attrs: { kind: 'zephyr' }, lines: { port: 'console', first: banner.seq, last: banner.seq } });
  zlog('inf', 'wifi_esp_at', 'DT has external_reset', 0);
  zlog('inf', 'wifi_esp_at', 'Waiting for interface to come up by itself...', 0);
  host = c0 + 24_000_000;
  zlog('inf', 'wifi_esp_at', 'Result: -11', 24_000_000);
  const firstRst = seq['console'] ?? 0;
  for (let i = 0; i < 3; i++) {
    host = c0 + 24_000_000 + i * 24_000_000;
    zlog('inf', 'wifi_esp_at', 'ESP_AT: sending RST CMD', host - c0);
    line('esp', 'AT+RST');
  }
  host = c0 + 96_008_000;
  const fail = zlog('err', 'wifi_esp_at', 'Failed to reset device: -116', host - c0);
  event({ kind: 'esp.reset_failed', severity: 'error', port: 'console', title: 'ESP-AT module did not answer AT+RST', attrs: { errno: -116, errnoName: 'ETIMEDOUT', tries: 3 }, hint: 'No "ready" from the module after 3 resets: check the ESP UART wiring and baud rate, and that the VM owns the Flexcomm it uses.', lines: { port: 'console', first: firstRst, last: fail.seq } });
  // The module answers nothing useful: the tap sees it busy, the same line again and again.
  for (let i = 0; i < 5; i++) line('esp', 'busy p...');
  const a = zlog('inf', 'MAIN', 'Hello in WiFi App!', host - c0);
  zlog('inf', 'MAIN', 'Connecting to Wi-Fi network rpi3-hotspot...', host - c0);
  const cf = zlog('err', 'MAIN', 'Failed to connect to Wi-Fi network: -115', host - c0);
  event({ kind: 'wifi.connect_failed', severity: 'error', port: 'console', title: 'Wi-Fi connect to rpi3-hotspot failed: -115 ENETDOWN', attrs: { errno: -115, errnoName: 'ENETDOWN', ssid: 'rpi3-hotspot' }, hint: 'ENETDOWN: the interface never came up because the module did not reset.', lines: { port: 'console', first: a.seq, last: cf.seq } });
  zlog('inf', 'MAIN', 'Run dhcpv4 client', host - c0);
  zlog('wrn', 'net_dhcpv4', 'DHCP request timed out, retrying', host - c0);

  // Uptime lines, 1 s of device time each, 8 s of host time apart, with positive print delays.
  const up0 = seq['console'] ?? 0;
  for (let i = 0; i < 40; i++) {
    host = c0 + 100_000_000 + i * 8_000_000 + Math.round(((i * 7919) % 13) * 150);
    const devUs = Math.round((host - c0) * RATIO);
    line('console', `Uptime: ${Math.round(devUs / 1000)} ms`, { dev: devUs, src: 'uptime' });
  }
  event({ kind: 'clock.drift', severity: 'warning', state: 'raised', port: 'console', title: 'Device clock runs at 0.125x real time', attrs: { ratio: 0.125, ppm: -875000 }, hint: CLOCK_HINT, lines: { port: 'console', first: up0, last: (seq['console'] ?? 1) - 1 } });
  bus.publish({ type: 'drift', fit: { port: 'console', boot: 'console-0', source: 'uptime', ratio: 0.125, ppm: -875000, uncertaintyPpm: 42, samples: 40, spanS: 312, verdict: 'drift', hint: CLOCK_HINT } });
  bus.publish({ type: 'drift', fit: { port: 'hv', boot: 'hv-0', source: 'log', ratio: 1.000012, ppm: 12, uncertaintyPpm: 6, samples: 5, spanS: 0.01, verdict: 'insufficient' } });
  bus.publish({ type: 'alert', alert: { id: 'al-1', rule: 'esp-reset', port: 'console', kind: 'esp.reset_failed', state: 'firing', firstAt: events[1]?.hostTime ?? host, lastAt: host, count: 1, title: 'ESP-AT module does not answer AT+RST', eventId: 'ev-1' } });
  bus.publish({ type: 'boot', boot: { ...boot, milestones: [...boot.milestones, { name: 'main', hostTime: c0 + 96_010_000, deviceTime: 12_001_000, seq: a.seq }] } });
  return { events, nextSeq: seq, endHostTime: host };
}
