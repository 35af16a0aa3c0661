import { describe, expect, it } from 'vitest';
import { formatZephyrLogLine, formatZephyrTimestamp } from '../../../daemon/sim/zephyr-log-line.ts';

describe('formatZephyrTimestamp', () => {
  it('prints hours, minutes, seconds, milliseconds and microseconds', () => {
    expect(formatZephyrTimestamp(12_001_000)).toBe('[00:00:12.001,000]');
    expect(formatZephyrTimestamp(3_723_004_005)).toBe('[01:02:03.004,005]');
  });

  it('does not wrap hours at 24, as log_output.c does not', () => {
    expect(formatZephyrTimestamp(25 * 3_600_000_000)).toBe('[25:00:00.000,000]');
  });
});

describe('formatZephyrLogLine', () => {
  it('puts the colour after the timestamp and the reset before CR LF', () => {
    expect(formatZephyrLogLine(12_001_000, 'err', 'wifi_esp_at', 'Failed to reset device: -116')).toBe(
      '[00:00:12.001,000] \x1b[1;31m<err> wifi_esp_at: Failed to reset device: -116\x1b[0m\r\n',
    );
    expect(formatZephyrLogLine(0, 'wrn', 'm', 'x')).toBe('[00:00:00.000,000] \x1b[1;33m<wrn> m: x\x1b[0m\r\n');
    expect(formatZephyrLogLine(0, 'inf', 'm', 'x')).toBe('[00:00:00.000,000] \x1b[0m<inf> m: x\x1b[0m\r\n');
  });

  it('leaves colours out when they are off', () => {
    expect(formatZephyrLogLine(3_000_000, 'inf', 'wifi_esp_at', 'Result: -11', { colors: false })).toBe(
      '[00:00:03.000,000] <inf> wifi_esp_at: Result: -11\r\n',
    );
  });
});
