/**
 * Synthetic (host, device) series with known truth, for the drift tests and the benchmark.
 * Deterministic: a seeded mulberry32 generator, so every run sees the same numbers.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DelayModel =
  /** USB full speed: 0–1 ms uniform. */
  | { readonly kind: 'usb' }
  /** An FTDI latency timer: bytes leave when the 16 ms timer fires (arrivals on a 16 ms grid), plus USB. */
  | { readonly kind: 'ftdi'; readonly latencyMs?: number }
  /** Deferred-log bursts: every `everyS`, lines stamped during `burstS` are held and printed at once at its end. */
  | { readonly kind: 'bursts'; readonly everyS: number; readonly burstS: number; readonly offsetS?: number }
  | { readonly kind: 'none' };

export interface SeriesSpec {
  /** Device seconds per real second. */
  readonly ratio: number;
  /** Real seconds between stamped lines. */
  readonly periodS: number;
  /** Real seconds covered. */
  readonly durationS: number;
  readonly delay: DelayModel;
  /** Device-time resolution (µs); stamps are truncated to it, as Zephyr's ms stamps are. Default 1000. */
  readonly resolutionUs?: number;
  readonly seed?: number;
  /** Host µs at real time 0. */
  readonly hostStartUs?: number;
  /** Device µs at real time 0. */
  readonly deviceStartUs?: number;
}

export interface SeriesPoint {
  readonly hostUs: number;
  readonly deviceUs: number;
  readonly resolutionUs: number;
}

export function synthesize(spec: SeriesSpec): SeriesPoint[] {
  const rnd = mulberry32(spec.seed ?? 1);
  const res = spec.resolutionUs ?? 1000;
  const h0 = spec.hostStartUs ?? 1_750_000_000_000_000;
  const d0 = spec.deviceStartUs ?? 5_000;
  const out: SeriesPoint[] = [];
  const n = Math.floor(spec.durationS / spec.periodS);
  for (let i = 0; i <= n; i++) {
    const t = i * spec.periodS;
    let arrive = t;
    const d = spec.delay;
    if (d.kind === 'usb') arrive = t + rnd() * 0.001;
    else if (d.kind === 'ftdi') {
      const q = (d.latencyMs ?? 16) / 1000;
      arrive = Math.ceil((t + 1e-9) / q) * q + rnd() * 0.001;
    } else if (d.kind === 'bursts') {
      const phase = t - (d.offsetS ?? 0);
      const k = Math.floor(phase / d.everyS);
      const inWindow = phase >= 0 && phase - k * d.everyS < d.burstS;
      arrive = (inWindow ? (d.offsetS ?? 0) + k * d.everyS + d.burstS : t) + rnd() * 0.001;
    }
    const deviceUs = Math.floor((d0 + spec.ratio * t * 1e6) / res) * res;
    out.push({ hostUs: Math.round(h0 + arrive * 1e6), deviceUs, resolutionUs: res });
  }
  // Lines leave the UART in the order they were stamped; a burst's lines share one arrival.
  for (let i = 1; i < out.length; i++) {
    const p = out[i] as SeriesPoint;
    const prev = out[i - 1] as SeriesPoint;
    if (p.hostUs < prev.hostUs) out[i] = { ...p, hostUs: prev.hostUs };
  }
  return out;
}

/** Ordinary least squares slope of device on host: the estimator bursts skew. */
export function leastSquaresRatio(points: readonly SeriesPoint[]): number {
  const first = points[0];
  if (!first) return NaN;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const p of points) {
    const x = (p.hostUs - first.hostUs) / 1e6;
    const y = (p.deviceUs - first.deviceUs) / 1e6;
    sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  const n = points.length;
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}
