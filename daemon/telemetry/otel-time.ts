import type { HrTime } from '@opentelemetry/api';
import type { HostTime } from '../core/host-time.ts';

/**
 * HostTime (µs since the epoch, integer) → OTel HrTime `[seconds, nanoseconds]`. HrTime keeps
 * the µs exactly; the SDK's `number` form is milliseconds as a float and would round them.
 */
export function hostTimeToHrTime(t: HostTime): HrTime {
  const s = Math.floor(t / 1_000_000);
  return [s, Math.round((t - s * 1_000_000) * 1000)];
}
