import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { createDriftAnalyzer } from '../../../daemon/drift/drift-analyzer.ts';
import { DriftHarness } from './analyzer-harness.ts';
import { synthesize } from './synthetic-clock.ts';
import type { SeriesSpec } from './synthetic-clock.ts';

function feed(h: DriftHarness, spec: SeriesSpec, source: 'log' | 'uptime' | 'cycles' = 'log'): void {
  for (const p of synthesize(spec)) h.record(p.hostUs, p.deviceUs, source, p.resolutionUs);
}

const H0 = 1_750_000_000_000_000;

describe('createDriftAnalyzer', () => {
  it('raises clock.drift once for a 1/8 clock, with the attrs and a hint naming the Kconfig', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1 / 8, periodS: 0.1, durationS: 60, delay: { kind: 'usb' }, seed: 1, hostStartUs: H0 });
    h.end(H0 + 61e6);
    const raised = h.drift().filter((e) => e.state === 'raised');
    expect(raised).toHaveLength(1);
    const e = raised[0]!;
    expect(e.severity).toBe('error');
    expect(e.boot).toBe('console#0');
    expect(e.attrs.ratio as number).toBeCloseTo(0.125, 2);
    expect(e.attrs.source).toBe('log');
    for (const k of ['ppm', 'uncertaintyPpm', 'samples', 'spanS']) expect(typeof e.attrs[k]).toBe('number');
    expect(e.hint).toContain('CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC');
    expect(h.states()).not.toContain('cleared');
    const last = h.fits.at(-1)!;
    expect(last.verdict).toBe('drift');
    expect(Math.abs(last.ratio - 0.125)).toBeLessThan(last.uncertaintyPpm / 1e6 + 1e-9);
  });

  it('names a 1/8 clock from its first 3 s of output at 10 lines a second', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1 / 8, periodS: 0.1, durationS: 3, delay: { kind: 'usb' }, seed: 2, hostStartUs: H0 });
    const raised = h.drift().find((e) => e.state === 'raised');
    expect(raised).toBeDefined();
    expect(raised!.hint).toContain('1/8');
  });

  it('emits DriftFit at most once a second per series, and a final one at the end', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1, periodS: 0.05, durationS: 10, delay: { kind: 'usb' }, seed: 3, hostStartUs: H0 }, 'log');
    feed(h, { ratio: 1, periodS: 0.05, durationS: 10, delay: { kind: 'usb' }, seed: 4, hostStartUs: H0 + 10 }, 'uptime');
    const before = h.fits.length;
    h.end(H0 + 11e6);
    expect(h.fits.length - before).toBe(2);
    for (const source of ['log', 'uptime'] as const) {
      const fits = h.fits.filter((f) => f.source === source);
      expect(fits.length).toBeGreaterThanOrEqual(10);
      expect(fits.length).toBeLessThanOrEqual(12);
      expect(fits.at(-1)!.verdict).toBe('ok');
    }
    expect(h.drift()).toHaveLength(0);
    // Early fits say 'insufficient' with a finite (JSON-safe) uncertainty.
    expect(h.fits[0]!.verdict).toBe('insufficient');
    for (const f of h.fits) expect(Number.isFinite(f.uncertaintyPpm)).toBe(true);
  });

  it('keeps log and uptime sources apart when they disagree', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    const log = synthesize({ ratio: 1, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 5, hostStartUs: H0 });
    const up = synthesize({ ratio: 0.5, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 6, hostStartUs: H0 + 50 });
    for (let i = 0; i < log.length; i++) {
      h.record(log[i]!.hostUs, log[i]!.deviceUs, 'log');
      if (up[i]) h.record(up[i]!.hostUs, up[i]!.deviceUs, 'uptime');
    }
    h.end(H0 + 21e6);
    expect(h.fits.filter((f) => f.source === 'log').at(-1)!.verdict).toBe('ok');
    expect(h.fits.filter((f) => f.source === 'uptime').at(-1)!.ratio).toBeCloseTo(0.5, 3);
    expect(new Set(h.drift().map((e) => e.attrs.source))).toEqual(new Set(['uptime']));
    expect(h.states().filter((x) => x === 'raised')).toHaveLength(1);
  });

  it('starts a new series at a reboot and does not carry the old fit into it', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1 / 8, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 7, hostStartUs: H0 });
    h.boot(H0 + 21e6);
    // The second run has the fixed clock; its device time starts again near zero.
    feed(h, { ratio: 1, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 8, hostStartUs: H0 + 21e6, deviceStartUs: 3000 });
    h.end(H0 + 42e6);
    const byBoot = (b: string) => h.fits.filter((f) => f.boot === b);
    expect(byBoot('console#0').at(-1)!.ratio).toBeCloseTo(0.125, 3);
    expect(byBoot('console#1').at(-1)!.ratio).toBeCloseTo(1, 3);
    expect(byBoot('console#1').at(-1)!.verdict).toBe('ok');
    expect(h.drift().filter((e) => e.state === 'raised').map((e) => e.boot)).toEqual(['console#0']);
  });

  it('treats device time going backwards without a banner as a new segment, not a wild slope', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1, periodS: 0.1, durationS: 10, delay: { kind: 'usb' }, seed: 9, hostStartUs: H0, deviceStartUs: 500_000_000 });
    feed(h, { ratio: 1, periodS: 0.1, durationS: 10, delay: { kind: 'usb' }, seed: 10, hostStartUs: H0 + 10.5e6, deviceStartUs: 1000 });
    h.end(H0 + 21e6);
    expect(h.drift()).toHaveLength(0);
    for (const f of h.fits.filter((x) => x.verdict !== 'insufficient')) expect(Math.abs(f.ppm)).toBeLessThan(1000);
  });

  it('does not bridge a disconnect gap with a wrong slope, and keeps the verdict across it', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1 / 8, periodS: 0.1, durationS: 10, delay: { kind: 'usb' }, seed: 11, hostStartUs: H0 });
    h.status('retrying', H0 + 10.1e6);
    // Unplugged for 60 s with the core halted (a debugger, the probe's reset): device time
    // resumes where it stopped, so a line across the gap would have a slope near 1/64.
    h.status('connected', H0 + 70e6);
    feed(h, { ratio: 1 / 8, periodS: 0.1, durationS: 10, delay: { kind: 'usb' }, seed: 12, hostStartUs: H0 + 70e6, deviceStartUs: 5000 + 10e6 / 8 + 12_500 });
    h.end(H0 + 81e6);
    for (const f of h.fits.filter((x) => x.verdict !== 'insufficient')) expect(f.ratio).toBeCloseTo(0.125, 2);
    // Raised once; later events only firm it up (the uncertainty halves as the span doubles).
    expect(h.states()[0]).toBe('raised');
    expect(h.states().slice(1).every((x) => x === 'updated')).toBe(true);
  });

  it('raises a frozen clock when device time stops while lines keep coming, and clears once it runs again', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1, periodS: 0.1, durationS: 10, delay: { kind: 'usb' }, seed: 13, hostStartUs: H0 });
    // Frozen: 10 s of lines all stamped 10.005 s.
    for (let i = 1; i <= 100; i++) h.record(H0 + 10e6 + i * 1e5, 10_005_000);
    // Running again from where it stopped.
    feed(h, { ratio: 1, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 14, hostStartUs: H0 + 20.1e6, deviceStartUs: 10_006_000 });
    h.end(H0 + 41e6);
    const ev = h.drift();
    expect(ev.map((e) => e.state)).toEqual(['raised', 'cleared']);
    expect(ev[0]!.attrs.verdict).toBe('frozen');
    expect(ev[0]!.severity).toBe('error');
    expect(ev[0]!.hint).toContain('not advancing');
    expect(h.fits.some((f) => f.verdict === 'frozen' && f.ratio === 0)).toBe(true);
  });

  it('raises a jump when device time leaps far ahead of host time', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1, periodS: 0.1, durationS: 10, delay: { kind: 'usb' }, seed: 15, hostStartUs: H0 });
    feed(h, { ratio: 1, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 16, hostStartUs: H0 + 10.1e6, deviceStartUs: 5000 + 10.1e6 + 30e6 });
    h.end(H0 + 31e6);
    const ev = h.drift();
    expect(ev[0]!.state).toBe('raised');
    expect(ev[0]!.attrs.jumpS as number).toBeGreaterThan(29);
    expect(ev[0]!.hint).toContain('jumped');
    expect(ev.at(-1)!.state).toBe('cleared');
  });

  it('does not flap for a clock sitting right at the tolerance', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1.001, periodS: 0.1, durationS: 600, delay: { kind: 'usb' }, seed: 17, hostStartUs: H0 });
    h.end(H0 + 601e6);
    const states = h.states();
    expect(states.filter((s) => s === 'raised').length).toBeLessThanOrEqual(1);
    expect(states).not.toContain('cleared');
  });

  it('raises no false alarm over 3 simulated hours at ratio 1 with USB jitter and a 2 s burst every 10 minutes', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    for (let block = 0; block < 18; block++) {
      feed(h, {
        ratio: 1, periodS: 0.1, durationS: 599.9, seed: 100 + block, hostStartUs: H0 + block * 600e6,
        deviceStartUs: 5000 + block * 600e6, delay: { kind: 'bursts', everyS: 600, burstS: 2, offsetS: 37 * block % 590 },
      });
    }
    h.end(H0 + 3 * 3600e6);
    expect(h.drift()).toHaveLength(0);
    const last = h.fits.at(-1)!;
    expect(last.verdict).toBe('ok');
    expect(Math.abs(last.ppm)).toBeLessThanOrEqual(last.uncertaintyPpm);
  });

  it('raises a 3000 ppm oscillator as a warning, updated only as it firms up, without flapping', () => {
    const h = new DriftHarness(createDriftAnalyzer());
    h.boot(H0);
    feed(h, { ratio: 1.003, periodS: 0.1, durationS: 600, delay: { kind: 'ftdi' }, seed: 18, hostStartUs: H0 });
    h.end(H0 + 601e6);
    const ev = h.drift();
    expect(ev[0]!.state).toBe('raised');
    expect(ev[0]!.severity).toBe('warning');
    expect(ev[0]!.hint).toContain('oscillator');
    expect(ev.slice(1).every((e) => e.state === 'updated')).toBe(true);
    expect(ev.length).toBeLessThanOrEqual(10);
    expect(h.fits.at(-1)!.ppm).toBeCloseTo(3000, -2);
  });

  it('clears with hysteresis when the clock returns, and does not raise again while it stays back', () => {
    const h = new DriftHarness(createDriftAnalyzer(), { tolerance_ppm: 1000 });
    h.boot(H0);
    feed(h, { ratio: 1.01, periodS: 0.1, durationS: 30, delay: { kind: 'usb' }, seed: 19, hostStartUs: H0 });
    // A re-plug (gap), after which the clock is right: the new segment clears the alert.
    h.status('retrying', H0 + 30.1e6);
    feed(h, { ratio: 1, periodS: 0.1, durationS: 120, delay: { kind: 'usb' }, seed: 20, hostStartUs: H0 + 31e6, deviceStartUs: 40e6 });
    h.end(H0 + 152e6);
    const states = h.states().filter((x) => x !== 'updated');
    expect(states).toEqual(['raised', 'cleared']);
    expect(h.drift().at(-1)!.state).toBe('cleared');
  });

  it('uses the board section for the exact fix', () => {
    const h = new DriftHarness(createDriftAnalyzer(), undefined, { timer_hz: 12_000_000, configured_hz: 96_000_000, vms: 2 });
    h.boot(H0);
    feed(h, { ratio: 1 / 16, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 21, hostStartUs: H0 });
    const e = h.drift()[0]!;
    expect(e.hint).toContain('set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=12000000');
    expect(e.hint).toContain('2 VMs');
  });

  it('does nothing when drift is disabled', () => {
    const h = new DriftHarness(createDriftAnalyzer(), { enabled: false });
    h.boot(H0);
    feed(h, { ratio: 1 / 8, periodS: 0.1, durationS: 20, delay: { kind: 'usb' }, seed: 22, hostStartUs: H0 });
    h.end(H0 + 21e6);
    expect(h.fits).toHaveLength(0);
    expect(h.events).toHaveLength(0);
  });

  it('measures the seed capture timer-test-8x-slow.tio.log at 0.125 and names CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC', () => {
    const inRepo = fileURLToPath(new URL('../../../fixtures/seed/timer-test-8x-slow.tio.log', import.meta.url));
    const path = existsSync(inRepo) ? inRepo : '/work/shared/fixtures/seed/timer-test-8x-slow.tio.log';
    const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
    expect(lines).toHaveLength(13);
    const h = new DriftHarness(createDriftAnalyzer());
    let booted = false;
    for (const l of lines) {
      const m = /^\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3})\] (.*)$/.exec(l);
      if (!m) continue;
      const hostUs = Date.parse(`${m[1]}T${m[2]}Z`) * 1000;
      if (!booted) { h.boot(hostUs); booted = true; }
      const up = /^Uptime: (\d+) ms$/.exec(m[3]!);
      h.record(hostUs, up ? Number(up[1]) * 1000 : undefined, 'uptime', 1000);
    }
    h.end(Date.now() * 1000);
    const fit = h.fits.at(-1)!;
    expect(fit.samples).toBe(10);
    expect(Math.abs(fit.ratio / 0.125 - 1)).toBeLessThan(0.01);
    const e = h.drift().find((x) => x.state === 'raised');
    expect(e).toBeDefined();
    expect(e!.hint).toContain('CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC');
    expect(e!.attrs.source).toBe('uptime');
  });
});
