/**
 * Incremental lower-envelope fit of device time against host time.
 *
 * Every point is (x = host time of the line's first byte, y = device time printed in it).
 * A line leaves the device after it was stamped (deferred logging, UART, USB, scheduler),
 * never before, so each point lies *to the right* of the true clock line: with x = host
 * time that puts every point on or *below* y = c + r·x. (The "line lies under all points"
 * picture holds in (device, host) coordinates, or, as here, after mirroring y → −y: then the
 * true line lies under every point and we keep the LOWER convex hull of (x, −y).)
 *
 * The estimator is the linear-programming skew estimator of one-way-delay measurement
 * (Moon, Skelly, Towsley, "Estimation and removal of clock skew from network delay
 * measurements", INFOCOM 1999): among lines under all points, minimise the sum of vertical
 * distances. That sum is n·(mean(y) − (a·mean(x) + b)), so the optimum is the line of
 * greatest height at mean(x): the hull edge (or vertex) above which mean(x) lies.
 *
 * Cost: host time only moves forward on a port, so the hull is Andrew's monotone chain fed
 * in x order: O(1) amortised per point (each point is pushed and popped at most once); a fit
 * is an O(log h) binary search for the supporting edge plus an O(h) pass for the uncertainty,
 * h = hull vertices, asked for at most once a second.
 *
 * Memory: only the hull vertices are kept (plus O(1) sums). For points with random delays the
 * hull has O(log n) vertices (Rényi–Sulanke); to bound pathological input (points on a
 * concave curve, e.g. a clock slowly speeding up) the chain is capped at `maxVertices`: when
 * it overflows, every second vertex of the older half is dropped. A subsequence of a convex
 * chain is convex, so the chain stays a valid lower hull of the kept vertices; the dropped
 * ones lay at most their distance below the new chord, old data only, and the newest half
 * stays exact.
 */

export interface HullFit {
  /** Device seconds per host second. */
  readonly ratio: number;
  /** (ratio − 1) × 1e6. */
  readonly ppm: number;
  /** Half-width of the ratio's uncertainty × 1e6 (ppm of real time). */
  readonly uncertaintyPpm: number;
  readonly samples: number;
  /** Host-time span of the points (s). */
  readonly spanS: number;
  /** Device time (µs) the fitted line gives at host time `hostUs`. */
  readonly deviceAt: (hostUs: number) => number;
}

export interface LowerHullFitterOptions {
  /** Most hull vertices kept (memory bound). Default 1024. */
  readonly maxVertices?: number;
}

export class LowerHullFitter {
  readonly #maxVertices: number;
  // Hull vertices in seconds relative to the first point; y mirrored (−device).
  #hx: Float64Array;
  #hy: Float64Array;
  #h = 0;
  #n = 0;
  #sumX = 0;
  #x0Us = 0;
  #y0Us = 0;
  #lastX = 0;
  #maxDeviceUs = -Infinity;
  /** Coarsest device-time resolution seen (s). */
  #resolutionS = 1e-6;

  constructor(options: LowerHullFitterOptions = {}) {
    this.#maxVertices = Math.max(8, options.maxVertices ?? 1024);
    const cap = Math.min(64, this.#maxVertices + 1);
    this.#hx = new Float64Array(cap);
    this.#hy = new Float64Array(cap);
  }

  get samples(): number { return this.#n; }
  get vertices(): number { return this.#h; }
  /** Host-time span (s). */
  get spanS(): number { return this.#n === 0 ? 0 : this.#lastX; }
  get firstHostUs(): number { return this.#x0Us; }
  get lastHostUs(): number { return this.#x0Us + this.#lastX * 1e6; }
  get maxDeviceUs(): number { return this.#maxDeviceUs; }

  /**
   * Adds one point. Host time must not go backwards on a port (one monotonic clock, see
   * core/host-time.ts); if a back-dated line arrives a hair earlier than the previous one,
   * it is clamped to the previous x, which only adds to its (one-sided) delay.
   */
  add(hostUs: number, deviceUs: number, resolutionUs = 1): void {
    if (this.#n === 0) { this.#x0Us = hostUs; this.#y0Us = deviceUs; }
    let x = (hostUs - this.#x0Us) / 1e6;
    if (x < this.#lastX) x = this.#lastX;
    const y = -(deviceUs - this.#y0Us) / 1e6;
    this.#n++;
    this.#sumX += x;
    this.#lastX = x;
    if (deviceUs > this.#maxDeviceUs) this.#maxDeviceUs = deviceUs;
    const res = resolutionUs / 1e6;
    if (res > this.#resolutionS) this.#resolutionS = res;
    this.#push(x, y);
  }

  #push(x: number, y: number): void {
    const hx = this.#hx;
    const hy = this.#hy;
    let h = this.#h;
    if (h > 0 && hx[h - 1] === x) {
      // Same host time (a burst read in one chunk): only the lowest (newest stamp) can be on the hull.
      if (y >= (hy[h - 1] as number)) return;
      h--;
    }
    while (h >= 2) {
      const ox = hx[h - 2] as number, oy = hy[h - 2] as number;
      const ax = hx[h - 1] as number, ay = hy[h - 1] as number;
      // Keep only strict left turns; collinear middle points add nothing to the envelope.
      if ((ax - ox) * (y - oy) - (ay - oy) * (x - ox) > 0) break;
      h--;
    }
    if (h >= this.#hx.length) this.#grow();
    this.#hx[h] = x;
    this.#hy[h] = y;
    this.#h = h + 1;
    if (this.#h > this.#maxVertices) this.#thin();
  }

  #grow(): void {
    const cap = Math.min(this.#hx.length * 2, this.#maxVertices + 1);
    const nx = new Float64Array(cap);
    const ny = new Float64Array(cap);
    nx.set(this.#hx);
    ny.set(this.#hy);
    this.#hx = nx;
    this.#hy = ny;
  }

  #thin(): void {
    const h = this.#h;
    const half = h >> 1;
    let w = 1;
    for (let r = 1; r < h; r++) {
      if (r < half && r % 2 === 1) continue;
      this.#hx[w] = this.#hx[r] as number;
      this.#hy[w] = this.#hy[r] as number;
      w++;
    }
    this.#h = w;
  }

  /**
   * The supporting line at mean(x) and its uncertainty; null before two distinct host times.
   *
   * Uncertainty, from the data: the device-time resolution plus the typical gap between the
   * hull vertices and the line (how far the minimum delays scatter) give an ε; every line
   * under all points whose height at mean(x) is within ε of the optimum is an equally good
   * explanation of the data, and the half-width of their slope range is the uncertainty.
   * It shrinks as 1/span and widens when the envelope bends or the stamps are coarse.
   */
  fit(): HullFit | null {
    const h = this.#h;
    if (h < 2) return null;
    const hx = this.#hx;
    const hy = this.#hy;
    const xm = this.#sumX / this.#n;
    // Binary search: the last vertex with x ≤ xm.
    let lo = 0, hi = h - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((hx[mid] as number) <= xm) lo = mid; else hi = mid;
    }
    const slopeOf = (i: number): number => ((hy[i + 1] as number) - (hy[i] as number)) / ((hx[i + 1] as number) - (hx[i] as number));
    let slope: number;
    let height: number;
    if (hx[lo] === xm && lo > 0 && lo < h - 1) {
      // Mean exactly on a vertex: every slope between its two edges is optimal; take the middle.
      slope = (slopeOf(lo - 1) + slopeOf(lo)) / 2;
      height = hy[lo] as number;
    } else {
      slope = slopeOf(lo);
      height = (hy[lo] as number) + slope * (xm - (hx[lo] as number));
    }
    // Typical vertex residual above the line (the scatter of the minimum delays).
    const res: number[] = new Array<number>(h);
    for (let i = 0; i < h; i++) res[i] = (hy[i] as number) - (height + slope * ((hx[i] as number) - xm));
    res.sort((a, b) => a - b);
    const medianResidual = Math.max(0, res[h >> 1] as number);
    const eps = this.#resolutionS + medianResidual;
    let sMin = -Infinity, sMax = Infinity;
    for (let i = 0; i < h; i++) {
      const dx = (hx[i] as number) - xm;
      if (dx === 0) continue;
      const bound = ((hy[i] as number) - (height - eps)) / dx;
      if (dx > 0) { if (bound < sMax) sMax = bound; } else if (bound > sMin) sMin = bound;
    }
    const half = Math.max(slope - sMin, sMax - slope);
    const ratio = -slope;
    const x0 = this.#x0Us, y0 = this.#y0Us;
    const intercept = -(height - slope * xm); // device s at x = 0, from the mirrored line
    return {
      ratio,
      ppm: (ratio - 1) * 1e6,
      uncertaintyPpm: Number.isFinite(half) ? half * 1e6 : Infinity,
      samples: this.#n,
      spanS: this.#lastX,
      deviceAt: (hostUs: number) => y0 + (intercept + ratio * ((hostUs - x0) / 1e6)) * 1e6,
    };
  }

  /** Bytes held by this fitter (typed arrays + fixed fields), for the memory benchmark. */
  get approxBytes(): number { return this.#hx.byteLength + this.#hy.byteLength + 96; }
}
