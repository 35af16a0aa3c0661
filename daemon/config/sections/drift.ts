import { z } from 'zod';

/**
 * The clock-drift fitter (daemon/drift/). Defaults follow formats.md §8.2 ("use ≥ 10 s
 * windows", "ms resolution") and DESIGN.md "Targets" (a 1/8 clock named within 3 s, no
 * false alarm at ratio 1.0 over 24 h).
 */
export const driftSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Fit device time against host time on every port that prints device times'),
    tolerance_ppm: z
      .number().min(1).max(1_000_000).default(1000)
      .describe('A series is outside tolerance when |ppm| exceeds this plus its uncertainty (ppm; 1000 = 0.1 %, ten times a cheap crystal)'),
    clear_below_fraction: z
      .number().gt(0).max(1).default(0.8)
      .describe('Hysteresis: a raised clock.drift clears only when |ppm| + uncertainty falls below tolerance_ppm × this (fraction)'),
    min_span_s: z
      .number().min(0.1).max(86_400).default(2)
      .describe('Host-time span a series must cover before it gets a verdict (s); one-sided delays only fool the envelope when one end of the window has no prompt line'),
    min_samples: z
      .number().int().min(3).max(100_000).default(8)
      .describe('Points a series needs before it gets a verdict (count)'),
    oscillator_max_ppm: z
      .number().min(1).max(1_000_000).default(20_000)
      .describe('Deviations up to this are oscillator-sized (crystal, FRO ±1–2 %): severity warning; beyond it, error (ppm)'),
    fraction_match_percent: z
      .number().gt(0).max(10).default(2)
      .describe('A ratio within this of a simple fraction (1/8, 3/2, …) is named as configuration, not oscillator (%)'),
    frozen_after_s: z
      .number().min(0.1).max(86_400).default(3)
      .describe('Device time not advancing for this much host time, over at least 3 lines, is a frozen clock (s)'),
    jump_min_s: z
      .number().min(0.001).max(86_400).default(1)
      .describe('Device time ahead of the fitted envelope by more than this (plus the fit uncertainty) is a jump, and starts a new segment (s)'),
    emit_interval_ms: z
      .number().int().min(10).max(3_600_000).default(1000)
      .describe('Longest rate of DriftFit updates per series (ms of host time)'),
    uptime_pattern: z
      .string().default('Uptime: (?<ms>\\d+) ms')
      .refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'not a valid regular expression')
      .describe('Lines whose text matches this give an `uptime` device time in ms (named group `ms`, or group 1); the UC1 timer_test prints `Uptime: %u ms`'),
    cycle_hz: z
      .number().int().positive().optional()
      .describe('Frequency of raw cycle-count log timestamps (`[00012345]`, CONFIG_LOG_OUTPUT_FORMAT raw); without it they give no device time (Hz)'),
    max_hull_vertices: z
      .number().int().min(16).max(1_000_000).default(1024)
      .describe('Memory bound per series: hull vertices kept; beyond it the oldest half is thinned (vertices)'),
  })
  .prefault({})
  .describe('Device clock vs host clock: lower-envelope fit per port, boot and time source');

export type DriftConfig = z.infer<typeof driftSchema>;
