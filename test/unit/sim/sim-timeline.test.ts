import { describe, expect, it } from 'vitest';
import { SimTimeline } from '../../../daemon/sim/sim-timeline.ts';

describe('SimTimeline', () => {
  it('spreads a burst on one UART by its wire time at 115200 baud (10 bits a byte)', () => {
    const t = new SimTimeline();
    const a = t.line('esp', 'x'.repeat(113)); // 115 bytes with CR LF
    const b = t.line('esp', 'OK');
    expect(a.atMs).toBe(0);
    expect(b.atMs).toBeCloseTo((115 * 10 * 1000) / 115200, 9);
  });

  it('does not hold back a write on another UART that is free', () => {
    const t = new SimTimeline();
    t.line('esp', 'x'.repeat(113));
    expect(t.line('hv', 'BAO INFO: x').atMs).toBe(0);
  });

  it('stamps log lines with device time at the clock factor, truncated to ms', () => {
    const t = new SimTimeline({ factor: 1 / 8 });
    t.wait(100).bootDevice();
    t.atDevice(3000);
    expect(t.now).toBe(100 + 24_000);
    expect(new TextDecoder().decode(t.log('inf', 'wifi_esp_at', 'Result: -11').bytes)).toBe(
      '[00:00:03.000,000] \x1b[0m<inf> wifi_esp_at: Result: -11\x1b[0m\r\n',
    );
    t.wait(7.9);
    expect(t.deviceMs()).toBe(3000);
    t.wait(0.1);
    expect(t.deviceMs()).toBe(3001);
  });

  it('never moves backwards: atDevice to a past device time is a no-op', () => {
    const t = new SimTimeline();
    t.bootDevice().wait(500);
    t.atDevice(100);
    expect(t.now).toBe(500);
  });
});
