import { RecentSeries } from '../core/recent-series.ts';
import type { RecordAnalyzer, AnalyzerContext } from '../analyzers/record-analyzer.ts';
import type { Boot } from '../core/boot.ts';
import type { Severity, EventState } from '../core/bus-event.ts';
import type { DriftFit, DriftVerdict } from '../core/drift-fit.ts';
import type { HostTime } from '../core/host-time.ts';
import type { DeviceTimeSource, ParsedRecord } from '../core/parsed-record.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { DriftConfig } from '../config/sections/drift.ts';
import { driftSchema } from '../config/sections/drift.ts';
import type { BoardConfig } from '../config/sections/board.ts';
import { explainRatio } from './explain-ratio.ts';
import type { RatioExplanation } from './explain-ratio.ts';
import { LowerHullFitter } from './lower-hull-fitter.ts';
import type { HullFit } from './lower-hull-fitter.ts';

/** What one segment concluded, kept when a gap, a backwards step or a jump starts a new one. */
interface Estimate {
  readonly ratio: number;
  readonly ppm: number;
  readonly uncertaintyPpm: number;
  readonly samples: number;
  readonly spanS: number;
}

interface Alert {
  raised: boolean;
  ppm: number;
  uncertaintyPpm: number;
  /** Cause, fraction and frozen/jump state: a change of explanation is material, a digit in the hint is not. */
  reason: string;
}

/**
 * One series = port × boot × device-time source (DESIGN.md "Clock drift": log timestamps and
 * `Uptime:` lines can disagree). A series is cut into segments wherever a straight line would
 * be wrong: a disconnect (the host-time gap says nothing about the device clock), device time
 * going backwards, a frozen stretch, a jump. The verdict and the alert live on the series.
 */
interface Series {
  readonly port: string;
  readonly boot: string;
  readonly eventBoot: string | null;
  readonly source: DeviceTimeSource;
  seg: LowerHullFitter;
  segFirstSeq: number;
  firstSeq: number;
  lastSeq: number;
  previous: Estimate | null;
  lastDeviceUs: number;
  lastHostUs: number;
  /** Host time at which device time last advanced, and lines since. */
  advancedAtUs: number;
  stillCount: number;
  frozen: boolean;
  /** Device time leapt ahead of the envelope by this much (s), until the series is back in tolerance. */
  jumpS: number | null;
  gapPending: boolean;
  /** After a frozen stretch or a jump, only a fresh segment's own fit may clear the alert. */
  recovering: boolean;
  lastEmitUs: number;
  lastFit: HullFit | null;
  alert: Alert;
}

const UNKNOWN_UNCERTAINTY_PPM = 1e6;

interface DriftSettings {
  readonly drift: DriftConfig;
  readonly board: BoardConfig | undefined;
}

/** Read once per config object: this runs for every record with a device time. */
const settingsByConfig = new WeakMap<object, DriftSettings>();

function configOf(ctx: AnalyzerContext): DriftSettings {
  const known = settingsByConfig.get(ctx.config);
  if (known) return known;
  const cfg = ctx.config as { drift?: DriftConfig; board?: BoardConfig };
  const board = cfg.board;
  const hasBoard = board !== undefined && (board.timer_hz !== undefined || board.configured_hz !== undefined || board.vms !== undefined);
  const settings: DriftSettings = { drift: cfg.drift ?? driftSchema.parse(undefined), board: hasBoard ? board : undefined };
  settingsByConfig.set(ctx.config, settings);
  return settings;
}

function estimateOf(f: HullFit): Estimate {
  return { ratio: f.ratio, ppm: f.ppm, uncertaintyPpm: f.uncertaintyPpm, samples: f.samples, spanS: f.spanS };
}

export function createDriftAnalyzer(): RecordAnalyzer {
  const series = new Map<string, Series>();
  const recent = new RecentSeries<Series>();

  function open(record: ParsedRecord, ctx: AnalyzerContext, source: DeviceTimeSource, drift: DriftConfig): Series {
    const boot = ctx.currentBoot();
    const bootId = boot?.id ?? `${ctx.port}:unknown`;
    const hot = recent.find(ctx.port, bootId, source);
    if (hot) return hot;
    const key = `${ctx.port}\u0000${bootId}\u0000${source}`;
    let s = series.get(key);
    if (!s) {
      s = {
        port: ctx.port, boot: bootId, eventBoot: boot?.id ?? null, source,
        seg: new LowerHullFitter({ maxVertices: drift.max_hull_vertices }),
        segFirstSeq: record.line.seq, firstSeq: record.line.seq, lastSeq: record.line.seq,
        previous: null, lastDeviceUs: -Infinity, lastHostUs: -Infinity,
        advancedAtUs: record.line.hostTime, stillCount: 0, frozen: false, jumpS: null,
        gapPending: false, recovering: false, lastEmitUs: -Infinity, lastFit: null,
        alert: { raised: false, ppm: 0, uncertaintyPpm: Infinity, reason: '' },
      };
      series.set(key, s);
    }
    recent.remember(ctx.port, s);
    return s;
  }

  function sufficient(f: HullFit | null, drift: DriftConfig): f is HullFit {
    return f !== null && f.samples >= drift.min_samples && f.spanS >= drift.min_span_s && Number.isFinite(f.uncertaintyPpm);
  }

  function newSegment(s: Series, seq: number, drift: DriftConfig): void {
    const f = s.seg.fit();
    if (!s.frozen && sufficient(f, drift)) s.previous = estimateOf(f);
    s.seg = new LowerHullFitter({ maxVertices: drift.max_hull_vertices });
    s.segFirstSeq = seq;
    s.lastFit = null;
  }

  function evaluate(s: Series, ctx: AnalyzerContext, hostTime: HostTime, deviceTime: number | undefined): void {
    const { drift, board } = configOf(ctx);
    const f = s.seg.fit();
    s.lastFit = f;
    const current: Estimate | null = sufficient(f, drift) ? estimateOf(f) : null;
    const est = current ?? s.previous;
    let verdict: DriftVerdict;
    let explanation: RatioExplanation | undefined;
    let ratio = est?.ratio ?? f?.ratio ?? 0;
    // Unknown uncertainty is reported as 1e6 ppm (the ratio could be anything) rather than
    // Infinity, which JSON sinks would turn into null.
    let uncPpm = Math.min(UNKNOWN_UNCERTAINTY_PPM, est?.uncertaintyPpm ?? f?.uncertaintyPpm ?? UNKNOWN_UNCERTAINTY_PPM);
    if (s.frozen) {
      verdict = 'frozen';
      ratio = f !== null && f.ratio < 1 / 64 ? Math.max(0, f.ratio) : 0;
      explanation = explainRatio(0);
    } else if (est === null) {
      verdict = 'insufficient';
    } else {
      const outside = Math.abs(est.ppm) > drift.tolerance_ppm + est.uncertaintyPpm;
      verdict = outside ? 'drift' : 'ok';
      explanation = explainRatio(est.ratio, {
        ...(board ? { board } : {}),
        fractionMatchPercent: drift.fraction_match_percent,
        oscillatorMaxPpm: drift.oscillator_max_ppm,
        uncertainty: est.uncertaintyPpm / 1e6,
      });
    }
    let hint = explanation?.hint;
    if (s.jumpS !== null && hint !== undefined) hint = `Device time jumped ${s.jumpS.toFixed(3)} s ahead of host time; ${hint}`;
    const ppm = (ratio - 1) * 1e6;
    const fit: DriftFit = {
      port: s.port, boot: s.boot, source: s.source, ratio, ppm, uncertaintyPpm: uncPpm,
      samples: (est ?? f)?.samples ?? s.seg.samples, spanS: (est ?? f)?.spanS ?? s.seg.spanS, verdict,
      ...(hint !== undefined ? { hint } : {}),
    };
    ctx.emitDrift(fit);
    s.lastEmitUs = hostTime;

    // The alert: raised once when confidently outside tolerance, cleared only when confidently
    // well inside (hysteresis via clear_below_fraction), so an estimate hovering at the
    // threshold cannot flap.
    const a = s.alert;
    if (current !== null && !s.frozen) s.recovering = false;
    const jumped = s.jumpS !== null && s.recovering;
    const out = verdict === 'frozen' || jumped || (verdict === 'drift' && Math.abs(ppm) - uncPpm > drift.tolerance_ppm);
    const wellInside = verdict === 'ok' && !s.recovering && Math.abs(ppm) + uncPpm < drift.tolerance_ppm * drift.clear_below_fraction;
    const f8 = explanation?.fraction;
    const reason = `${verdict === 'frozen' ? 'frozen' : explanation?.cause ?? ''}|${f8 ? `${f8.num}/${f8.den}` : ''}|${jumped ? 'jump' : ''}`;
    let state: EventState | null = null;
    if (!a.raised && out) state = 'raised';
    else if (a.raised && wellInside) state = 'cleared';
    else if (a.raised && out) {
      const firmer = uncPpm <= a.uncertaintyPpm / 2;
      const moved = Math.abs(ppm - a.ppm) > 3 * Math.max(uncPpm, 1);
      if (firmer || moved || reason !== a.reason) state = 'updated';
    }
    if (state === null) return;
    a.raised = state !== 'cleared';
    a.ppm = ppm;
    a.uncertaintyPpm = uncPpm;
    a.reason = reason;
    const severity: Severity =
      verdict === 'frozen' || jumped || Math.abs(ppm) > drift.oscillator_max_ppm ? 'error' : 'warning';
    const title =
      state === 'cleared' ? `Device clock back within ${drift.tolerance_ppm} ppm of real time (${s.source})`
      : verdict === 'frozen' ? `Device clock frozen (${s.source})`
      : jumped && verdict !== 'drift' ? `Device time jumped ${(s.jumpS ?? 0).toFixed(3)} s ahead (${s.source})`
      : `Device clock runs at ${Number(ratio.toPrecision(4))}× real time (${Math.round(ppm)} ppm, ${s.source})`;
    ctx.emitEvent({
      kind: 'clock.drift', severity: state === 'cleared' ? 'info' : severity, port: s.port, boot: s.eventBoot,
      hostTime, ...(deviceTime !== undefined ? { deviceTime } : {}), title,
      attrs: {
        ratio, ppm, uncertaintyPpm: uncPpm, samples: fit.samples, spanS: fit.spanS, source: s.source, verdict,
        cause: explanation?.cause ?? null, jumpS: s.jumpS,
      },
      ...(hint !== undefined ? { hint } : {}),
      lines: { port: s.port, first: s.firstSeq, last: s.lastSeq },
      state,
    });
    if (state === 'cleared') s.jumpS = null;
  }

  function finish(s: Series, ctx: AnalyzerContext): void {
    if (s.seg.samples === 0 && s.previous === null) return;
    evaluate(s, ctx, s.lastHostUs, undefined);
  }

  return {
    name: 'drift',

    onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
      const dt = record.deviceTime;
      if (dt === undefined) return;
      const { drift } = configOf(ctx);
      if (!drift.enabled) return;
      const s = open(record, ctx, dt.source, drift);
      const host = record.line.hostTime;
      const dev = dt.us;
      const res = Math.max(1, dt.resolutionUs);
      let cut = false;
      if (s.gapPending) { s.gapPending = false; cut = true; }
      if (s.seg.samples > 0) {
        if (dev < s.lastDeviceUs - res) {
          // Backwards without a reboot from the boot tracker: a new segment, same series.
          cut = true; s.frozen = false;
        } else if (dev <= s.lastDeviceUs) {
          s.stillCount++;
          if (!s.frozen && s.stillCount >= 2 && host - s.advancedAtUs >= drift.frozen_after_s * 1e6) {
            s.frozen = true;
            s.lastSeq = record.line.seq;
            s.lastHostUs = host;
            evaluate(s, ctx, host, dev);
            return;
          }
          if (s.frozen) { s.lastSeq = record.line.seq; s.lastHostUs = host; maybeEmit(s, ctx, host, dev, drift); return; }
        } else {
          if (s.frozen) { s.frozen = false; s.recovering = true; cut = true; }
          s.stillCount = 0;
          s.advancedAtUs = host;
          // A jump: device time ahead of the envelope, which one-sided delays cannot produce.
          const f = s.lastFit;
          if (!cut && sufficient(f, drift)) {
            const slack = (drift.jump_min_s + (f.uncertaintyPpm / 1e6) * ((host - s.seg.firstHostUs) / 1e6)) * 1e6 + res;
            const ahead = dev - f.deviceAt(host);
            if (ahead > slack) { s.jumpS = ahead / 1e6; s.recovering = true; cut = true; }
          }
        }
      } else {
        s.advancedAtUs = host;
      }
      if (cut) newSegment(s, record.line.seq, drift);
      s.seg.add(host, dev, res);
      s.lastDeviceUs = dev;
      s.lastHostUs = host;
      s.lastSeq = record.line.seq;
      if (cut && s.jumpS !== null && s.seg.samples === 1) { evaluate(s, ctx, host, dev); return; }
      maybeEmit(s, ctx, host, dev, drift);
    },

    onStatus(status: PortStatus): void {
      if (status.state === 'connected') return;
      // The host-time gap of a disconnected port says nothing about the device clock: the next
      // point starts a new segment instead of bridging the gap with a wrong slope.
      for (const s of series.values()) if (s.port === status.port) s.gapPending = true;
    },

    onBootStart(boot: Boot, ctx: AnalyzerContext): void {
      recent.forget(ctx.port);
      for (const [key, s] of series) {
        if (s.port !== ctx.port || s.boot === boot.id) continue;
        finish(s, ctx);
        series.delete(key);
      }
    },

    end(_now: HostTime, ctx: AnalyzerContext): void {
      recent.forget(ctx.port);
      for (const [key, s] of series) {
        if (s.port !== ctx.port) continue;
        finish(s, ctx);
        series.delete(key);
      }
    },
  };

  function maybeEmit(s: Series, ctx: AnalyzerContext, host: HostTime, dev: number, drift: DriftConfig): void {
    if (host - s.lastEmitUs >= drift.emit_interval_ms * 1000) evaluate(s, ctx, host, dev);
  }
}
