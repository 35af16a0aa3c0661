import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../daemon/config/load-config.ts';
import { startDaemon } from '../../../daemon/daemon.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import type { DriftFit } from '../../../daemon/core/drift-fit.ts';
import { startPtyDevice, waitFor } from '../../helpers/pty-device.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('the device clock measured live', () => {
  it('raises clock.drift for a device clock at 1/8 within seconds, through a real pty, with the fix in the hint', async () => {
    const dir = tempDir();
    const dev = await startPtyDevice(join(dir, 'tty'));
    const daemon = await startDaemon({
      config: parseConfig({ ports: [{ name: 'console', source: dev.link, role: 'zephyr' }], board: { timer_hz: 12_000_000, configured_hz: 96_000_000 } }),
      dataDir: join(dir, 'data'),
    });
    const events: BusEvent[] = [];
    const fits: DriftFit[] = [];
    daemon.bus.messages$.subscribe((m) => {
      if (m.type === 'event' && m.event.kind === 'clock.drift') events.push(m.event);
      if (m.type === 'drift') fits.push(m.fit);
    });
    try {
      await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected');
      await dev.write('*** Booting Zephyr OS build v4.1.0-1220-gf352f026f154 ***\r\n');
      // The timer test of fixtures/seed, ten times as often: Uptime advances 12.5 ms per 100 ms of real time.
      const start = performance.now();
      for (let i = 0; i < 60 && events.length === 0; i++) {
        const due = start + i * 100;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        await dev.write(`Uptime: ${Math.round(1 + i * 12.5)} ms\r\n`);
      }
      expect(await waitFor(() => events.length > 0, 5000)).toBe(true);
      const raised = events[0]!;
      expect(raised.state).toBe('raised');
      expect(Number(raised.attrs.ratio)).toBeCloseTo(0.125, 2);
      expect(raised.hint).toContain('CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=12000000');
      const last = fits.filter((f) => f.source === 'uptime').at(-1)!;
      expect(last.verdict).toBe('drift');
      expect(Math.abs(last.ratio - 0.125) / 0.125).toBeLessThan(0.01);
    } finally {
      await daemon.stop();
      await dev.unplug();
    }
  });
});
