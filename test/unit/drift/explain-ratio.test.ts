import { describe, expect, it } from 'vitest';

import { explainRatio, nearestFraction } from '../../../daemon/drift/explain-ratio.ts';

describe('explainRatio', () => {
  it('names 1/8 as Zephyr configured for 96 MHz on the 12 MHz timer, with the Kconfig to set', () => {
    const e = explainRatio(0.12496);
    expect(e.cause).toBe('configuration');
    expect(e.fraction).toEqual({ num: 1, den: 8 });
    expect(e.hint).toContain('Zephyr configured for 96 MHz while the timer runs at 12 MHz');
    expect(e.hint).toContain('set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC to the hypervisor\'s PLAT_TIMER_FREQ (12000000)');
  });

  it('names 1/16 as both the 96/12 MHz mismatch and a hypervisor halving guest time', () => {
    const e = explainRatio(0.0626);
    expect(e.fraction).toEqual({ num: 1, den: 16 });
    expect(e.hint).toContain('1/8');
    expect(e.hint).toContain('1/2');
  });

  it('names 1.5 as the LPC55 at 144 MHz configured as 96 MHz, citing zephyr#64865', () => {
    const e = explainRatio(1.4991);
    expect(e.cause).toBe('configuration');
    expect(e.hint).toContain('zephyr#64865');
    expect(e.hint).toContain('144000000');
  });

  it('names 1/3 as three VMs taking turns under a hypervisor that freezes guest time', () => {
    const e = explainRatio(0.3335);
    expect(e.cause).toBe('scheduling');
    expect(e.hint).toContain('3 VMs');
  });

  it('calls a few hundred ppm an oscillator, not configuration', () => {
    const e = explainRatio(1.0004, { uncertainty: 20e-6 });
    expect(e.cause).toBe('oscillator');
    expect(e.fraction).toBeUndefined();
    expect(e.hint).toContain('400 ppm fast');
  });

  it('calls a ratio near zero a frozen clock', () => {
    expect(explainRatio(0).cause).toBe('frozen');
    expect(explainRatio(0.001).cause).toBe('frozen');
  });

  it('does not name a fraction for a ratio that is far from every simple one', () => {
    const e = explainRatio(0.7);
    expect(e.cause).toBe('unknown');
    expect(nearestFraction(0.7, 0.02)).toBeUndefined();
  });

  it('gives the exact value to set when the board names its timer and configured frequency', () => {
    const e = explainRatio(0.125, { board: { timer_hz: 12_000_000, configured_hz: 96_000_000 } });
    expect(e.hint).toContain('set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=12000000');
    expect(e.hint).toContain('96 MHz');
  });

  it('names the hypervisor dividing guest time by the VM count when the board clocks agree', () => {
    const e = explainRatio(0.5, { board: { timer_hz: 12_000_000, configured_hz: 12_000_000, vms: 2 } });
    expect(e.cause).toBe('scheduling');
    expect(e.hint).toContain('divides guest time by the 2 VMs');
    expect(e.hint).not.toContain('=12000000');
  });

  it('names both faults when the board has a clock mismatch and two VMs and the ratio is 1/16', () => {
    const e = explainRatio(0.0625, { board: { timer_hz: 12_000_000, configured_hz: 96_000_000, vms: 2 } });
    expect(e.hint).toContain('set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=12000000');
    expect(e.hint).toContain('2 VMs');
  });

  it('infers the configured value from the timer frequency alone', () => {
    const e = explainRatio(0.125, { board: { timer_hz: 12_000_000 } });
    expect(e.hint).toContain('as if CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=96000000');
    expect(e.hint).toContain('set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=12000000');
  });

  it('widens the fraction match by the measurement uncertainty', () => {
    expect(explainRatio(0.13, { fractionMatchPercent: 2 }).fraction).toBeUndefined();
    expect(explainRatio(0.13, { fractionMatchPercent: 2, uncertainty: 0.005 }).fraction).toEqual({ num: 1, den: 8 });
  });
});
