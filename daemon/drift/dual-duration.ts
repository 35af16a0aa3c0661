import type { Milestone } from '../core/boot.ts';

/**
 * Durations on both clocks. Only uartscope can say "the ESP reset timeout lasted 24 s of real
 * time but 3 s of device time" (landscape.md §6.1 item 4): the driver's timeouts count in the
 * device clock, so a slow clock stretches every timeout in real time.
 */

/** Relative disagreement below which the two clocks are said to agree (2 %: FRO-sized). */
export const DUAL_DURATION_TOLERANCE = 0.02;

/** `24.0 s`, `850 ms`, `12 µs`. */
export function formatDurationUs(us: number): string {
  const a = Math.abs(us);
  if (a >= 1_000_000) return `${(us / 1_000_000).toFixed(1)} s`;
  if (a >= 1000) return `${Math.round(us / 1000)} ms`;
  return `${Math.round(us)} µs`;
}

/**
 * "24.0 s of real time but 3.0 s of device time" when the two durations disagree by more
 * than `tolerance` (relative to real time) and by more than `minDiffUs` (so ms-resolution
 * stamps on short intervals do not count as disagreement); otherwise null.
 */
export function describeDualDuration(
  hostUs: number,
  deviceUs: number,
  tolerance: number = DUAL_DURATION_TOLERANCE,
  minDiffUs = 2000,
): string | null {
  if (!Number.isFinite(hostUs) || !Number.isFinite(deviceUs)) return null;
  const diff = Math.abs(deviceUs - hostUs);
  if (diff <= minDiffUs) return null;
  if (hostUs > 0 && diff / hostUs <= tolerance) return null;
  return `${formatDurationUs(hostUs)} of real time but ${formatDurationUs(deviceUs)} of device time`;
}

export interface DualDuration {
  readonly from: string;
  readonly to: string;
  /** Host (real) time between the two milestones (µs). */
  readonly hostUs: number;
  /** Device time between them (µs), or null when either milestone carried none. */
  readonly deviceUs: number | null;
  /** {@link describeDualDuration}, or null when the clocks agree or device time is missing. */
  readonly description: string | null;
}

/** Every ordered pair (earlier → later, in the milestones' order) with its duration on both clocks. */
export function durationsBetween(milestones: readonly Milestone[]): DualDuration[] {
  const out: DualDuration[] = [];
  for (let i = 0; i < milestones.length; i++) {
    const a = milestones[i] as Milestone;
    for (let j = i + 1; j < milestones.length; j++) {
      const b = milestones[j] as Milestone;
      const hostUs = b.hostTime - a.hostTime;
      const deviceUs = a.deviceTime !== undefined && b.deviceTime !== undefined ? b.deviceTime - a.deviceTime : null;
      out.push({
        from: a.name, to: b.name, hostUs, deviceUs,
        description: deviceUs === null ? null : describeDualDuration(hostUs, deviceUs),
      });
    }
  }
  return out;
}
