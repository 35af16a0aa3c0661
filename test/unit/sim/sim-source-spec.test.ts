import { describe, expect, it } from 'vitest';
import { parseSimSource } from '../../../daemon/sim/sim-source-spec.ts';

describe('parseSimSource', () => {
  it('reads a scenario and a UART', () => {
    expect(parseSimSource('sim:seed/esp')).toEqual({ scenario: 'seed', uart: 'esp' });
    expect(parseSimSource('sim:shared-uart/hv')).toEqual({ scenario: 'shared-uart', uart: 'hv' });
  });

  it('defaults to the console UART and accepts the cycle', () => {
    expect(parseSimSource('sim:cycle')).toEqual({ scenario: 'cycle', uart: 'console' });
  });

  it('names the bad part of a wrong source', () => {
    expect(parseSimSource('sim:nope')).toEqual({ error: expect.stringContaining('unknown scenario "nope"') });
    expect(parseSimSource('sim:seed/usb')).toEqual({ error: expect.stringContaining('unknown UART "usb"') });
    expect(parseSimSource('sim:seed/esp/x')).toEqual({ error: expect.stringContaining('sim:SCENARIO[/UART]') });
    expect(parseSimSource('/dev/ttyACM0')).toEqual({ error: expect.stringContaining('not a sim: source') });
  });
});
