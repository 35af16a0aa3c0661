import { describe, expect, it } from 'vitest';
import type { DriftFit } from '../../../daemon/core/drift-fit.ts';
import { DeviceTimeMapper } from '../../../daemon/telemetry/device-time-mapper.ts';

const fit = (ratio: number, verdict: DriftFit['verdict'] = 'drift', boot = 'b0'): DriftFit => ({
  port: 'console', boot, source: 'log', ratio, ppm: (ratio - 1) * 1e6, uncertaintyPpm: 10, samples: 10, spanS: 10, verdict,
});
const dt = (us: number) => ({ us, source: 'log' as const, resolutionUs: 1000 });
const T0 = 1_764_000_000_000_000;

describe('DeviceTimeMapper', () => {
  it('has no mapping before a trusted fit, nor for an insufficient one', () => {
    const m = new DeviceTimeMapper();
    expect(m.map('console', 'b0', T0, dt(0))).toBeUndefined();
    m.onFit(fit(0.125, 'insufficient'));
    expect(m.map('console', 'b0', T0 + 8_000_000, dt(1_000_000))).toBeUndefined();
  });

  it('maps through the lower envelope: the earliest-printed line anchors the offset, late lines map back', () => {
    const m = new DeviceTimeMapper();
    // 1/8 clock; line 2 was printed 500 ms after it was stamped.
    m.map('console', 'b0', T0 + 100, dt(0));
    m.map('console', 'b0', T0 + 8_000_000 + 500_000, dt(1_000_000));
    m.onFit(fit(0.125));
    expect(m.map('console', 'b0', T0 + 16_000_000 + 200_000, dt(2_000_000))).toBe(T0 + 100 + 16_000_000);
    // A line closer to the true line lowers the envelope for every later mapping.
    expect(m.map('console', 'b0', T0 + 24_000_000, dt(3_000_000))).toBe(T0 + 24_000_000);
    expect(m.map('console', 'b0', T0 + 33_000_000, dt(4_000_000))).toBe(T0 + 32_000_000);
  });

  it('keeps series apart by boot and time source', () => {
    const m = new DeviceTimeMapper();
    m.map('console', 'b0', T0, dt(0));
    m.onFit(fit(0.5));
    expect(m.map('console', 'b1', T0 + 1_000_000, dt(0))).toBeUndefined();
    expect(m.map('console', 'b0', T0 + 2_000_000, { us: 1_000_000, source: 'uptime', resolutionUs: 1000 })).toBeUndefined();
    expect(m.map('console', 'b0', T0 + 2_000_000, dt(1_000_000))).toBe(T0 + 2_000_000);
  });
});
