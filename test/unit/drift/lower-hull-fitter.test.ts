import { describe, expect, it } from 'vitest';

import { LowerHullFitter } from '../../../daemon/drift/lower-hull-fitter.ts';
import { leastSquaresRatio, synthesize } from './synthetic-clock.ts';
import type { DelayModel, SeriesPoint } from './synthetic-clock.ts';

function fitAll(points: readonly SeriesPoint[], maxVertices?: number) {
  const f = new LowerHullFitter(maxVertices !== undefined ? { maxVertices } : {});
  for (const p of points) f.add(p.hostUs, p.deviceUs, p.resolutionUs);
  const fit = f.fit();
  if (!fit) throw new Error('no fit');
  return { fit, fitter: f };
}

const RATIOS = [
  { name: '1', ratio: 1 },
  { name: '1/8', ratio: 1 / 8 },
  { name: '1/16', ratio: 1 / 16 },
  { name: '3/2', ratio: 3 / 2 },
  { name: '1 + 1000 ppm', ratio: 1.001 },
  { name: '1 - 1000 ppm', ratio: 0.999 },
  { name: '1 + 50 ppm', ratio: 1.00005 },
  { name: '1 - 50 ppm', ratio: 0.99995 },
];
const DELAYS: { name: string; delay: DelayModel }[] = [
  { name: 'USB full-speed jitter (0-1 ms)', delay: { kind: 'usb' } },
  { name: 'an FTDI 16 ms latency timer', delay: { kind: 'ftdi', latencyMs: 16 } },
  { name: '2 s deferred-log bursts', delay: { kind: 'bursts', everyS: 15, burstS: 2, offsetS: 9 } },
];

describe('LowerHullFitter', () => {
  for (const d of DELAYS) {
    for (const r of RATIOS) {
      it(`recovers a ratio of ${r.name} under ${d.name} from ms-resolution stamps, the truth inside its uncertainty`, () => {
        const points = synthesize({ ratio: r.ratio, periodS: 0.1, durationS: 60, delay: d.delay, seed: 11 });
        const { fit } = fitAll(points);
        const errPpm = (fit.ratio - r.ratio) * 1e6;
        expect(Math.abs(errPpm)).toBeLessThanOrEqual(fit.uncertaintyPpm);
        // 1 ms stamps over a 60 s span: a few tens of ppm is what the data allows.
        expect(fit.uncertaintyPpm).toBeLessThan(150);
        expect(fit.samples).toBe(points.length);
        expect(fit.spanS).toBeGreaterThan(59);
      });
    }
  }

  it('tells +50 ppm from -50 ppm after ten minutes of once-a-second stamps', () => {
    for (const sign of [1, -1]) {
      const points = synthesize({ ratio: 1 + sign * 50e-6, periodS: 1, durationS: 600, delay: { kind: 'usb' }, seed: 5 });
      const { fit } = fitAll(points);
      expect(Math.sign(fit.ppm)).toBe(sign);
      expect(Math.abs(fit.ppm - sign * 50)).toBeLessThanOrEqual(fit.uncertaintyPpm);
      expect(fit.uncertaintyPpm).toBeLessThan(50);
    }
  });

  it('is not skewed by deferred-log bursts that skew least squares by more than 1 %', () => {
    const points = synthesize({ ratio: 1, periodS: 0.1, durationS: 20, delay: { kind: 'bursts', everyS: 30, burstS: 2, offsetS: 17 }, seed: 7 });
    const lsErrPpm = (leastSquaresRatio(points) - 1) * 1e6;
    const { fit } = fitAll(points);
    expect(Math.abs(lsErrPpm)).toBeGreaterThan(10_000);
    expect(Math.abs(fit.ppm)).toBeLessThan(50);
  });

  it('derives its uncertainty from the data: it shrinks with span and grows with coarser stamps', () => {
    const short = fitAll(synthesize({ ratio: 1, periodS: 0.1, durationS: 10, delay: { kind: 'usb' }, seed: 3 })).fit;
    const long = fitAll(synthesize({ ratio: 1, periodS: 0.1, durationS: 100, delay: { kind: 'usb' }, seed: 3 })).fit;
    const fine = fitAll(synthesize({ ratio: 1, periodS: 0.1, durationS: 10, delay: { kind: 'none' }, resolutionUs: 1, seed: 3 })).fit;
    expect(long.uncertaintyPpm).toBeLessThan(short.uncertaintyPpm / 5);
    expect(fine.uncertaintyPpm).toBeLessThan(short.uncertaintyPpm / 10);
    expect(fine.uncertaintyPpm).toBeGreaterThan(0);
  });

  it('keeps at most maxVertices hull vertices on input that is all hull (a clock slowing down)', () => {
    const f = new LowerHullFitter({ maxVertices: 64 });
    let maxSeen = 0;
    for (let i = 0; i < 100_000; i++) {
      const t = i * 0.01;
      // device = t - 1e-4 t²: concave, so every point is a vertex of the mirrored lower hull.
      f.add(1e15 + t * 1e6, (t - 1e-4 * t * t) * 1e6, 1);
      maxSeen = Math.max(maxSeen, f.vertices);
    }
    expect(maxSeen).toBeLessThanOrEqual(64);
    const fit = f.fit();
    expect(fit).not.toBeNull();
    // The instantaneous ratio runs from 1 down to 0.8; the fit sits inside that range.
    expect(fit!.ratio).toBeGreaterThan(0.8);
    expect(fit!.ratio).toBeLessThan(1);
  });

  it('gives no fit before two distinct host times, and a line through both points after', () => {
    const f = new LowerHullFitter();
    expect(f.fit()).toBeNull();
    f.add(1_000_000, 0, 1);
    f.add(1_000_000, 5, 1);
    expect(f.fit()).toBeNull();
    f.add(3_000_000, 1_000_005, 1);
    const fit = f.fit();
    expect(fit!.ratio).toBeCloseTo(0.5, 9);
    expect(fit!.deviceAt(2_000_000)).toBeCloseTo(500_005, 3);
  });

  it('treats a line back-dated before the previous one as arriving with it, never as time going backwards', () => {
    const f = new LowerHullFitter();
    f.add(10_000_000, 0, 1);
    f.add(12_000_000, 2_000_000, 1);
    f.add(11_999_000, 1_999_000, 1); // back-dated a hair: clamped to x = 2 s
    f.add(14_000_000, 4_000_000, 1);
    expect(f.fit()!.ratio).toBeCloseTo(1, 9);
    expect(f.spanS).toBeCloseTo(4, 9);
  });
});
