import { describe, expect, it } from 'vitest';

import { formatDeviceTime, formatDuration, formatPpm, formatRatio } from '../../../dashboard/src/lib/format.ts';
import { dropChars, zephyrPrefixLength } from '../../../dashboard/src/lib/zephyr-prefix.ts';

describe('dashboard formats', () => {
  it('shows a ratio far from 1 as the fraction it is, and one near 1 with its digits', () => {
    expect(formatRatio(0.125)).toBe('0.125');
    expect(formatRatio(1.5)).toBe('1.5');
    expect(formatRatio(0.5000001)).toBe('0.5');
    expect(formatRatio(1.000123)).toBe('1.000123');
  });

  it('shows ppm with a sign, and large deviations in percent', () => {
    expect(formatPpm(-875000)).toBe('-87.5 %');
    expect(formatPpm(123.4)).toBe('+123 ppm');
    expect(formatPpm(2.25)).toBe('+2.3 ppm');
  });

  it('formats device time as seconds with µs and durations in a readable unit', () => {
    expect(formatDeviceTime(12_001_000)).toBe('12.001000');
    expect(formatDeviceTime(undefined)).toBe('');
    expect(formatDuration(850_000)).toBe('850 ms');
    expect(formatDuration(8_000_000)).toBe('8.00 s');
    expect(formatDuration(180_000_000)).toBe('3 min');
  });

  it('finds the Zephyr log prefix so the message column starts after it', () => {
    const t = '[00:00:12.001,000] <err> wifi_esp_at: Failed to reset device: -116';
    expect(t.slice(zephyrPrefixLength(t))).toBe('Failed to reset device: -116');
    expect(zephyrPrefixLength('Uptime: 1001 ms')).toBe(0);
    expect(dropChars([{ text: 'ab' }, { text: 'cd', fg: 1 }], 3)).toEqual([{ text: 'd', fg: 1 }]);
  });
});
