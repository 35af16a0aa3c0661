import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../daemon/config/load-config.ts';
import { startDaemon } from '../../../daemon/daemon.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import { waitFor } from '../../helpers/pty-device.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** The board's three UARTs as in-process `sim:` sources, host time compressed by `speed`. */
async function watchScenario(scenario: string, speed: number, until: (events: BusEvent[]) => boolean) {
  const dir = tempDir();
  const roles = { hv: 'hypervisor', console: 'zephyr', esp: 'esp-at' } as const;
  const daemon = await startDaemon({
    config: parseConfig({ ports: Object.entries(roles).map(([uart, role]) => ({ name: uart, source: `sim:${scenario}/${uart}?speed=${speed}`, role })) }),
    dataDir: join(dir, 'data'),
  });
  const events: BusEvent[] = [];
  daemon.bus.messages$.subscribe((m) => { if (m.type === 'event') events.push(m.event); });
  await waitFor(() => until(events), 40_000);
  await daemon.stop();
  return events;
}
const kinds = (events: BusEvent[], port?: string) => new Set(events.filter((e) => !port || e.port === port).map((e) => e.kind));

describe('each simulated scenario produces its events through the live pipeline', () => {
  it('seed: ESP reset failure after 3 tries, connect failure -115 ENETDOWN, one boot and no reboot', async () => {
    const events = await watchScenario('seed', 8, (ev) => kinds(ev).has('wifi.connect_failed'));
    const reset = events.find((e) => e.kind === 'esp.reset_failed');
    expect(reset).toBeDefined();
    expect(reset!.attrs).toMatchObject({ errno: -116, errnoName: 'ETIMEDOUT' });
    expect(String(reset!.title)).toMatch(/3 tries/);
    expect(events.find((e) => e.kind === 'wifi.connect_failed')!.attrs).toMatchObject({ errno: -115, errnoName: 'ENETDOWN' });
    expect(kinds(events, 'console').has('reboot')).toBe(false);
  });

  it('fault: one fault event for the whole dump, then a reboot', async () => {
    const events = await watchScenario('fault', 4, (ev) => kinds(ev, 'console').has('reboot'));
    const faults = events.filter((e) => e.kind === 'fault');
    expect(faults).toHaveLength(1);
    expect(faults[0]!.attrs).toMatchObject({ pc: '0x10001a30' });
    expect(faults[0]!.lines.last - faults[0]!.lines.first).toBeGreaterThan(5);
  });

  it('hv-error: the hypervisor ERROR without a newline is raised as hv.error', async () => {
    const events = await watchScenario('hv-error', 1, (ev) => kinds(ev).has('hv.error'));
    const e = events.find((x) => x.kind === 'hv.error')!;
    expect(e.severity).toBe('critical');
    expect(e.title).toContain('failed to register sau entry');
  });

  it('garbage: bytes at the wrong baud rate raise port.garbled on the ESP port', async () => {
    const events = await watchScenario('garbage', 1, (ev) => kinds(ev, 'esp').has('port.garbled'));
    expect(kinds(events, 'esp').has('port.garbled')).toBe(true);
  });

  it('shared-uart: ESP-AT traffic on the console raises uart.shared', async () => {
    const events = await watchScenario('shared-uart', 1, (ev) => kinds(ev, 'console').has('uart.shared'));
    expect(kinds(events, 'console').has('uart.shared')).toBe(true);
  });

  it('healthy: connected and an address, and no failure', async () => {
    const events = await watchScenario('healthy', 1, (ev) => kinds(ev).has('dhcp.bound'));
    expect(events.find((e) => e.kind === 'dhcp.bound')!.attrs).toMatchObject({ ip: '192.168.4.23' });
    expect([...kinds(events)].filter((k) => ['fault', 'esp.reset_failed', 'wifi.connect_failed', 'hv.error'].includes(k))).toEqual([]);
  });
});
