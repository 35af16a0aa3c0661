import type { Boot, BootEndReason } from '../core/boot.ts';
import type { HostTime } from '../core/host-time.ts';
import type { Line } from '../core/line.ts';
import type { DeviceTimeSource, FieldValue, ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext, RecordAnalyzer } from './record-analyzer.ts';
import { eventFromRecord, fieldString } from './event-draft.ts';

/**
 * Boot layers in the order they print on one run: hypervisor, then bootloader, then the OS.
 * A banner of a layer at or below one already seen in this boot starts a new run; a banner of
 * a higher layer belongs to the same run (Bao prints before the Zephyr guest, MCUboot before
 * the app).
 */
const LAYER_RANK: Readonly<Record<string, number>> = { bao: 0, crosscon: 0, hv: 0, mcuboot: 1, zephyr: 2, ncs: 2 };

export interface BootTrackerOptions {
  readonly port: string;
  readonly startBootIndex: number;
  readonly rebootBackwardsToleranceUs: number;
  /** Called after a new boot opened (and was published), before later analyzers see the record. */
  readonly onBootStart: (boot: Boot) => void;
}

type PendingEnd = Extract<BootEndReason, 'fault' | 'hv.error' | 'disconnected'>;

/**
 * Cuts a port's output into boots. A boot starts at the first line of a run; its banner may
 * come later, because drivers log during PRE_KERNEL/POST_KERNEL init, before the banner
 * (formats §2.1: the whole wifi_esp_at reset sequence precedes `*** Booting Zephyr ***`).
 * A new run is a second banner of the same layer, or device time going backwards.
 */
export class BootTracker implements RecordAnalyzer {
  readonly name = 'boot-tracker';
  #boot: Boot | null = null;
  #nextIndex: number;
  #layers = new Set<number>();
  #lastDeviceUs = new Map<DeviceTimeSource, number>();
  #pendingEnd: PendingEnd | null = null;
  #attrs: Record<string, FieldValue> = {};
  /** Recent boots (id, first seq), newest last: to attribute a late record to the boot of its line. */
  #recent: Array<{ readonly id: string; readonly firstSeq: number }> = [];

  constructor(private readonly options: BootTrackerOptions) {
    this.#nextIndex = options.startBootIndex;
  }

  current(): Boot | null {
    return this.#boot;
  }

  /**
   * Id of the boot a line belongs to: the current one, or a recent earlier one when a parser
   * emitted the record late (a held AT command or dump flushed after the next banner).
   */
  bootIdAt(seq: number): string | null {
    for (let i = this.#recent.length - 1; i >= 0; i--) {
      const b = this.#recent[i]!;
      if (seq >= b.firstSeq) return b.id;
    }
    return this.#recent[0]?.id ?? null;
  }

  /** Why the current boot will end when it ends (a fault or hypervisor error halts it), if known. */
  pendingEnd(): PendingEnd | null {
    return this.#pendingEnd;
  }

  setPendingEnd(reason: PendingEnd): void {
    // A halt is the stronger explanation: keep fault/hv.error over a later disconnect.
    if (this.#pendingEnd === 'fault' || this.#pendingEnd === 'hv.error') return;
    this.#pendingEnd = reason;
  }

  /** Merges attributes into the current boot (the Wi-Fi/ESP state) and publishes it. */
  setAttrs(attrs: Readonly<Record<string, FieldValue>>, ctx: AnalyzerContext): void {
    Object.assign(this.#attrs, attrs);
    if (!this.#boot) return;
    this.#boot.attrs = { ...this.#attrs };
    ctx.emitBoot(this.#boot);
  }

  /** Adds a milestone once per boot and publishes the boot. Returns false when it was already reached. */
  addMilestone(name: string, line: Line, deviceTimeUs: number | undefined, ctx: AnalyzerContext): boolean {
    const boot = this.#boot;
    if (!boot || boot.milestones.some((m) => m.name === name)) return false;
    boot.milestones.push(deviceTimeUs === undefined ? { name, hostTime: line.hostTime, seq: line.seq } : { name, hostTime: line.hostTime, deviceTime: deviceTimeUs, seq: line.seq });
    ctx.emitBoot(boot);
    return true;
  }

  onLine(line: Line, ctx: AnalyzerContext): void {
    if (!this.#boot) this.#open(line, ctx);
  }

  onRecord(record: ParsedRecord, ctx: AnalyzerContext): void {
    if (!this.#boot) this.#open(record.line, ctx);
    if (record.kind === 'zephyr.banner' || record.kind === 'hv.banner') {
      this.#onBanner(record, ctx);
      return;
    }
    const dt = record.deviceTime;
    if (!dt) return;
    const last = this.#lastDeviceUs.get(dt.source);
    if (last !== undefined && dt.us < last - this.options.rebootBackwardsToleranceUs) {
      const title = `Reboot: device time went back from ${(last / 1e6).toFixed(3)} s to ${(dt.us / 1e6).toFixed(3)} s`;
      this.#reboot(record, ctx, 'time', title, { previousDeviceTimeUs: last, deviceTimeUs: dt.us, timeSource: dt.source });
    }
    this.#lastDeviceUs.set(dt.source, dt.us);
  }

  end(now: HostTime, ctx: AnalyzerContext): void {
    void now;
    const boot = this.#boot;
    if (!boot || boot.endReason !== 'running') return;
    boot.endReason = this.#pendingEnd === 'fault' || this.#pendingEnd === 'hv.error' ? this.#pendingEnd : 'end';
    ctx.emitBoot(boot);
  }

  #onBanner(record: ParsedRecord, ctx: AnalyzerContext): void {
    const layerName = fieldString(record, 'os') ?? fieldString(record, 'hv') ?? (record.kind === 'hv.banner' ? 'hv' : 'zephyr');
    const rank = LAYER_RANK[layerName] ?? 2;
    const sameRun = ![...this.#layers].some((seen) => seen >= rank);
    if (!sameRun) {
      this.#reboot(record, ctx, 'banner', 'Reboot: a second boot banner', { banner: record.message });
    }
    const boot = this.#boot;
    if (!boot) return;
    this.#layers.add(rank);
    // Banners of one run come in layer order (hypervisor, bootloader, OS), so the latest one is the
    // highest layer: the guest OS's version is what a user flashed and wants to see.
    boot.banner = record.message;
    const version = fieldString(record, 'version');
    if (version !== undefined) boot.version = version;
    boot.kind = layerName === 'hv' ? 'bao' : layerName;
    if (!this.addMilestone('banner', record.line, record.deviceTime?.us, ctx)) ctx.emitBoot(boot);
    const what = layerName === 'zephyr' ? 'Zephyr' : layerName === 'ncs' ? 'nRF Connect SDK' : layerName === 'mcuboot' ? 'MCUboot' : 'hypervisor';
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'boot',
        severity: 'info',
        title: `Booted ${what}${version ? ` ${version}` : ''}`,
        attrs: { os: layerName, version: version ?? null, bootIndex: boot.index, banner: record.message },
      }),
    );
  }

  #reboot(record: ParsedRecord, ctx: AnalyzerContext, why: 'banner' | 'time', title: string, attrs: Record<string, FieldValue>): void {
    const previous = this.#boot;
    if (previous && previous.endReason === 'running') {
      previous.endReason = this.#pendingEnd ?? 'reboot';
      ctx.emitBoot(previous);
    }
    const previousEnd = previous?.endReason ?? null;
    this.#open(record.line, ctx);
    ctx.emitEvent(
      eventFromRecord(record, ctx, {
        kind: 'reboot',
        severity: 'warning',
        title,
        attrs: { ...attrs, reason: why, previousBoot: previous?.id ?? null, previousEndReason: previousEnd },
        ...(previousEnd === 'fault' || previousEnd === 'hv.error' ? { hint: `the previous run ended in a ${previousEnd === 'fault' ? 'fatal error' : 'hypervisor error'}: see that event` } : {}),
      }),
    );
  }

  #open(line: Line, ctx: AnalyzerContext): void {
    const index = this.#nextIndex++;
    const boot: Boot = {
      id: `${this.options.port}#${index}`,
      port: this.options.port,
      index,
      hostStart: line.hostTime,
      firstSeq: line.seq,
      kind: 'unknown',
      milestones: [],
      endReason: 'running',
    };
    this.#boot = boot;
    this.#recent.push({ id: boot.id, firstSeq: boot.firstSeq });
    if (this.#recent.length > 16) this.#recent.shift();
    this.#layers.clear();
    this.#lastDeviceUs.clear();
    this.#pendingEnd = null;
    this.#attrs = {};
    ctx.emitBoot(boot);
    this.options.onBootStart(boot);
  }
}
