/** Display formats shared by the panels. Host times are µs since the epoch; device times µs since boot. */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time of day with ms: `14:03:22.517`. */
export function formatHostTime(us: number): string {
  const d = new Date(us / 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Device time in seconds with µs, the way Zephyr prints it (`[00:00:08.001,000]` → `8.001000`). */
export function formatDeviceTime(us: number | undefined): string {
  if (us === undefined) return '';
  return (us / 1e6).toFixed(6);
}

/** A duration in µs as `850 ms`, `8.0 s`, `3 min`. */
export function formatDuration(us: number): string {
  const ms = us / 1000;
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (Math.abs(ms) < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * A clock ratio: far from 1 it reads as the fraction it is (`0.125`, `1.5`); near 1 the
 * digits that matter are shown and the ppm says the rest.
 */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  if (Math.abs(ratio - 1) >= 0.01) return String(Number(ratio.toFixed(4)));
  return ratio.toFixed(6);
}

export function formatPpm(ppm: number): string {
  if (!Number.isFinite(ppm)) return '—';
  const a = Math.abs(ppm);
  const s = a >= 10_000 ? `${(ppm / 1e4).toFixed(1)} %` : `${ppm.toFixed(a < 10 ? 1 : 0)} ppm`;
  return ppm > 0 ? `+${s}` : s;
}

export function formatRate(n: number, unit: string): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M${unit}`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k${unit}`;
  return `${Math.round(n)} ${unit}`;
}
