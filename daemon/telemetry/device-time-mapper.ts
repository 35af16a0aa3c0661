import { RecentSeries } from '../core/recent-series.ts';
import type { DriftFit } from '../core/drift-fit.ts';
import type { HostTime } from '../core/host-time.ts';
import type { DeviceTime } from '../core/parsed-record.ts';

interface Series {
  readonly boot: string;
  readonly source: string;
  /** Recent (host µs, device µs) pairs, a ring of at most SAMPLES. */
  readonly host: Float64Array;
  readonly device: Float64Array;
  next: number;
  count: number;
  ratio?: number;
  /** Wall µs at device time 0 under `ratio`: host = offset + device / ratio. */
  offset?: number;
}

const SAMPLES = 256;

/**
 * Maps a record's device time to wall time through the latest trusted drift fit of its port,
 * boot and time source (DESIGN.md "Clock drift"). A DriftFit carries the slope (ratio) but no
 * intercept, so the intercept is taken the way the fitter takes the slope: a line is printed
 * after the device stamped it, never before, so the true line lies under every point and the
 * offset is the minimum of `host - device / ratio` over the samples (the lower envelope).
 * Without a trusted fit (`verdict: 'insufficient'`) there is no mapping and the caller uses
 * host time.
 */
export class DeviceTimeMapper {
  readonly #series = new Map<string, Series>();
  readonly #recent = new RecentSeries<Series>();

  onFit(fit: DriftFit): void {
    const series = this.#get(fit.port, fit.boot, fit.source);
    if (fit.verdict === 'insufficient' || !(fit.ratio > 0) || !Number.isFinite(fit.ratio)) return;
    if (series.ratio === fit.ratio) return;
    series.ratio = fit.ratio;
    let offset = Infinity;
    for (let i = 0; i < series.count; i++) offset = Math.min(offset, series.host[i]! - series.device[i]! / fit.ratio);
    series.offset = Number.isFinite(offset) ? offset : undefined;
  }

  /** Records the pair and returns the device time as wall µs, when a trusted fit exists. */
  map(port: string, boot: string, hostTime: HostTime, deviceTime: DeviceTime): HostTime | undefined {
    const series = this.#get(port, boot, deviceTime.source);
    series.host[series.next] = hostTime;
    series.device[series.next] = deviceTime.us;
    series.next = (series.next + 1) % SAMPLES;
    series.count = Math.min(SAMPLES, series.count + 1);
    if (series.ratio === undefined) return undefined;
    const own = hostTime - deviceTime.us / series.ratio;
    series.offset = series.offset === undefined ? own : Math.min(series.offset, own);
    return Math.round(series.offset + deviceTime.us / series.ratio);
  }

  /** A port's new boot makes its old series useless. */
  forgetPort(port: string, keepBoot: string): void {
    this.#recent.forget(port);
    for (const [key, s] of this.#series) if (key.startsWith(`${port}\0`) && s.boot !== keepBoot) this.#series.delete(key);
  }

  #get(port: string, boot: string, source: string): Series {
    const hot = this.#recent.find(port, boot, source);
    if (hot) return hot;
    const key = `${port}\0${boot}\0${source}`;
    let s = this.#series.get(key);
    if (!s) {
      s = { boot, source, host: new Float64Array(SAMPLES), device: new Float64Array(SAMPLES), next: 0, count: 0 };
      this.#series.set(key, s);
    }
    this.#recent.remember(port, s);
    return s;
  }
}
