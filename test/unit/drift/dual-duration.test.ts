import { describe, expect, it } from 'vitest';

import type { Milestone } from '../../../daemon/core/boot.ts';
import { describeDualDuration, durationsBetween } from '../../../daemon/drift/dual-duration.ts';

describe('describeDualDuration', () => {
  it('says how long on each clock when they disagree', () => {
    expect(describeDualDuration(24_000_000, 3_000_000)).toBe('24.0 s of real time but 3.0 s of device time');
  });

  it('returns null when the clocks agree within the tolerance or within stamp resolution', () => {
    expect(describeDualDuration(10_000_000, 10_050_000)).toBeNull();
    expect(describeDualDuration(1_500, 500)).toBeNull();
  });

  it('writes short durations in milliseconds', () => {
    expect(describeDualDuration(800_000, 100_000)).toBe('800 ms of real time but 100 ms of device time');
  });
});

describe('durationsBetween', () => {
  const m = (name: string, hostTime: number, deviceTime?: number, seq = 0): Milestone =>
    deviceTime === undefined ? { name, hostTime, seq } : { name, hostTime, deviceTime, seq };

  it('gives every pair of milestones its duration on both clocks', () => {
    const pairs = durationsBetween([m('banner', 0, 0), m('esp.reset_failed', 24_000_000, 3_000_000), m('wifi.connect_failed', 32_000_000, 4_000_000)]);
    expect(pairs.map((p) => `${p.from}->${p.to}`)).toEqual([
      'banner->esp.reset_failed', 'banner->wifi.connect_failed', 'esp.reset_failed->wifi.connect_failed',
    ]);
    expect(pairs[0]).toMatchObject({ hostUs: 24_000_000, deviceUs: 3_000_000, description: '24.0 s of real time but 3.0 s of device time' });
    expect(pairs[2]).toMatchObject({ hostUs: 8_000_000, deviceUs: 1_000_000 });
  });

  it('leaves the device duration null when a milestone carried no device time', () => {
    const pairs = durationsBetween([m('banner', 0), m('dhcp.bound', 5_000_000, 5_000_000)]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ hostUs: 5_000_000, deviceUs: null, description: null });
  });
});
