import type { BoardConfig } from '../config/sections/board.ts';

/**
 * Why a device clock runs at `ratio` device seconds per host second.
 *
 * formats.md §8.2: R ≈ (f_actual / f_configured) × (share of wall time the guest's SysTick
 * runs). A clean small fraction is therefore a configuration or scheduling fault (a wrong
 * CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC, a hypervisor freezing guest time while N VMs take
 * turns); a crystal or the LPC55's FRO are off by ppm to low percent, never by exactly 1/8.
 */
export type RatioCause = 'oscillator' | 'configuration' | 'scheduling' | 'frozen' | 'unknown';

export interface RatioExplanation {
  readonly cause: RatioCause;
  /** The simple fraction the ratio matched, when one did. */
  readonly fraction?: { readonly num: number; readonly den: number };
  readonly hint: string;
}

export interface ExplainRatioOptions {
  readonly board?: BoardConfig;
  /** A ratio within this relative distance of a fraction is that fraction (%). */
  readonly fractionMatchPercent?: number;
  /** Up to this |ppm| the deviation is oscillator-sized. */
  readonly oscillatorMaxPpm?: number;
  /** Half-width of the ratio's uncertainty (ratio units); widens the match. */
  readonly uncertainty?: number;
}

interface Fraction { readonly num: number; readonly den: number }

/**
 * Candidates: 1/n and n/1 up to 32 (1/8 × 1/4 VMs = 1/32), and p/q with p, q ≤ 4 (3/2 of
 * zephyr#64865, its inverse 2/3, 3/4…). Stranger fractions are not plausible configurations.
 */
const CANDIDATES: readonly Fraction[] = (() => {
  const out: Fraction[] = [];
  const seen = new Set<number>();
  const add = (num: number, den: number): void => {
    const v = num / den;
    if (v === 1 || seen.has(v)) return;
    seen.add(v);
    out.push({ num, den });
  };
  for (let n = 2; n <= 32; n++) { add(1, n); add(n, 1); }
  for (let p = 1; p <= 4; p++) for (let q = 1; q <= 4; q++) if (gcd(p, q) === 1) add(p, q);
  return out;
})();

function gcd(a: number, b: number): number { return b === 0 ? a : gcd(b, a % b); }

const FROZEN_BELOW = 1 / 64;

function fmtRatio(r: number): string { return Number(r.toPrecision(4)).toString(); }
function fmtFraction(f: Fraction): string { return f.den === 1 ? `${f.num}×` : `${f.num}/${f.den}`; }
function fmtHz(hz: number): string {
  return hz % 1_000_000 === 0 ? `${hz / 1_000_000} MHz` : hz % 1000 === 0 ? `${hz / 1000} kHz` : `${hz} Hz`;
}
function near(r: number, target: number, rel: number): boolean { return Math.abs(r / target - 1) <= rel; }

/** The simple fraction nearest to `ratio` within `rel` (relative), or undefined. */
export function nearestFraction(ratio: number, rel: number): Fraction | undefined {
  let best: Fraction | undefined;
  let bestErr = Infinity;
  for (const f of CANDIDATES) {
    const err = Math.abs(ratio / (f.num / f.den) - 1);
    if (err <= rel && err < bestErr) { best = f; bestErr = err; }
  }
  return best;
}

/** The §8.2 reading of a fraction when the board's clocks are not configured. */
function candidateText(f: Fraction): { cause: RatioCause; text: string } {
  const key = `${f.num}/${f.den}`;
  switch (key) {
    case '1/8':
      return { cause: 'configuration', text: 'Zephyr configured for 96 MHz while the timer runs at 12 MHz: set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC to the hypervisor\'s PLAT_TIMER_FREQ (12000000). Less likely: 8 VMs taking turns under a hypervisor that freezes guest time' };
    case '1/16':
      return { cause: 'configuration', text: 'both faults at once: Zephyr configured for 96 MHz on a 12 MHz timer (1/8) and the hypervisor freezing guest time while a second VM runs (1/2): set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC to PLAT_TIMER_FREQ (12000000) and fix the guest timer save/restore (CROSSCON vtimer.c)' };
    case '1/12':
      return { cause: 'configuration', text: 'Zephyr configured for 144 MHz while the timer runs at 12 MHz: set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC to the hypervisor\'s PLAT_TIMER_FREQ (12000000)' };
    case '3/2':
      return { cause: 'configuration', text: 'LPC55 running at 144 MHz with CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=96000000 (zephyr#64865, fixed by PR #64787): set it to 144000000' };
    case '2/3':
      return { cause: 'configuration', text: 'CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=144000000 while the core runs at 96 MHz (the inverse of zephyr#64865): set it to 96000000' };
    default:
      break;
  }
  if (f.num === 1) {
    return {
      cause: 'scheduling',
      text: `${f.den} VMs taking turns on the core under a hypervisor that freezes each guest's SysTick while the others run (older CROSSCON vtimer.c) divide guest time by ${f.den}; or the timer counts at 1/${f.den} of CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC`,
    };
  }
  if (f.den === 1) {
    return {
      cause: 'configuration',
      text: `the timer counts ${f.num}× faster than CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC says (e.g. ${fmtHz(12_000_000)} configured, ${fmtHz(12_000_000 * f.num)} actual): set it to the timer's real frequency`,
    };
  }
  return {
    cause: 'configuration',
    text: `the timer counts at ${f.num}/${f.den} of CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC: set it to the timer's real frequency`,
  };
}

/** With the board's clocks: the exact fix, or the hypervisor named (formats.md §6.3, §8.2). */
function boardText(ratio: number, rel: number, board: BoardConfig): { cause: RatioCause; text: string } | undefined {
  const T = board.timer_hz;
  const C = board.configured_hz;
  const V = board.vms ?? 1;
  const on = board.name ? ` on ${board.name}` : '';
  const setIt = T !== undefined ? `set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=${T}` : '';
  const hv = `the hypervisor divides guest time by the ${V} VMs taking turns on the core (each guest's SysTick is frozen while the others run: older CROSSCON vtimer.c, formats §6.3); give the guest its own core or a hypervisor that compensates the guest timer`;
  if (T !== undefined && C !== undefined) {
    const m = T / C;
    if (m !== 1 && near(ratio, m, rel)) {
      return { cause: 'configuration', text: `the image assumes ${fmtHz(C)} (CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=${C}) but the timer counts at ${fmtHz(T)} (PLAT_TIMER_FREQ)${on}: ${setIt}` };
    }
    if (V > 1 && near(ratio, m / V, rel)) {
      if (m === 1) return { cause: 'scheduling', text: `${hv}${on}` };
      return { cause: 'configuration', text: `two faults: the image assumes ${fmtHz(C)} but the timer counts at ${fmtHz(T)} (${setIt}), and ${hv}${on}` };
    }
  }
  if (V > 1 && near(ratio, 1 / V, rel)) return { cause: 'scheduling', text: `${hv}${on}` };
  if (T !== undefined) {
    // R = T / C_image (× 1/V): the value the image must have been built with.
    for (const k of V > 1 ? [1, V] : [1]) {
      const implied: number = T / (ratio * k);
      const roundMhz: number = Math.round(implied / 1_000_000) * 1_000_000;
      if (roundMhz > 0 && near(implied, roundMhz, rel) && roundMhz !== T) {
        const sliced = k > 1 ? `, and ${hv}` : '';
        return { cause: 'configuration', text: `the image behaves as if CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=${roundMhz} while the timer counts at ${fmtHz(T)} (PLAT_TIMER_FREQ)${on}: ${setIt}${sliced}` };
      }
    }
  }
  if (C !== undefined) {
    const actual = ratio * C * V;
    const roundHz = Math.round(actual / 1_000_000) * 1_000_000 || Math.round(actual);
    if (near(actual, roundHz, rel) && roundHz !== C) {
      return { cause: 'configuration', text: `with CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=${C} the timer really counts at about ${fmtHz(roundHz)}${on}: set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=${roundHz}` };
    }
  }
  return undefined;
}

export function explainRatio(ratio: number, options: ExplainRatioOptions = {}): RatioExplanation {
  const relPct = options.fractionMatchPercent ?? 2;
  const oscMaxPpm = options.oscillatorMaxPpm ?? 20_000;
  const unc = Math.max(0, options.uncertainty ?? 0);
  const ppm = (ratio - 1) * 1e6;
  if (!Number.isFinite(ratio) || ratio < FROZEN_BELOW) {
    return {
      cause: 'frozen',
      hint: 'Device time is not advancing while host time does: the device timer is stopped (SysTick never started or not delivered to the guest by the hypervisor, or the kernel is stuck with a thread still printing)',
    };
  }
  if (Math.abs(ppm) <= oscMaxPpm) {
    const dir = ppm >= 0 ? 'fast' : 'slow';
    return {
      cause: 'oscillator',
      hint: `Device clock ${Math.abs(Math.round(ppm))} ppm ${dir} (±${Math.round(unc * 1e6)} ppm): oscillator-sized (crystal or FRO tolerance), not a configuration fault`,
    };
  }
  // The match widens with the measurement's own uncertainty, so an early, rough fit is
  // still named when the fraction lies within its error bar.
  const rel = relPct / 100 + unc / ratio;
  const head = `Device clock runs at ${fmtRatio(ratio)} of real time`;
  const fraction = nearestFraction(ratio, rel);
  if (options.board) {
    const b = boardText(ratio, rel, options.board);
    if (b) return { cause: b.cause, ...(fraction ? { fraction } : {}), hint: `${head}${fraction ? ` (${fmtFraction(fraction)})` : ''}: ${b.text}` };
  }
  if (fraction) {
    const c = candidateText(fraction);
    return { cause: c.cause, fraction, hint: `${head} (${fmtFraction(fraction)}), a configuration fault, not an oscillator: ${c.text}` };
  }
  return {
    cause: 'unknown',
    hint: `${head}: too far off for an oscillator and not a simple fraction; compare CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC with the timer's real input clock and check whether a hypervisor time-slices the guest`,
  };
}
