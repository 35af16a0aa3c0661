import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { Boot } from '../core/boot.ts';
import type { BusEvent } from '../core/bus-event.ts';
import type { HostTime } from '../core/host-time.ts';
import type { FieldValue, ParsedRecord } from '../core/parsed-record.ts';
import { redactSecrets } from '../../parsers/redact.ts';
import { hostTimeToHrTime } from './otel-time.ts';

/** The open trace of one boot. */
export interface BootTrace {
  readonly id: string;
  readonly port: string;
  readonly root: Span;
  /** Context with the root span: the parent of phase spans and the link of log records. */
  readonly context: Context;
  readonly startedAt: HostTime;
  lastAt: HostTime;
  ended: boolean;
  failure?: string;
  readonly phases: Map<string, Span>;
  milestones: number;
  resetAttempts: number;
  connectedAt?: HostTime;
}

export interface BootTracerOptions {
  readonly board?: string;
  /** A boot trace still open this long after its start is ended anyway (µs). */
  readonly maxBootUs: number;
  /** Called once per boot when Wi-Fi first connects, with seconds since the boot began. */
  readonly onConnected?: (port: string, seconds: number) => void;
}

/** Milestone names that the phase spans already cover; any other milestone is a user milestone. */
const BUILTIN_MILESTONES = new Set(['banner', 'esp.ready', 'wifi.connected', 'dhcp.bound']);
/** Events that become span events on the boot span and mark the boot failed. */
const FAILURE_EVENTS = new Set(['fault', 'assert', 'hv.error', 'esp.reset_failed', 'wifi.connect_failed', 'stall']);
const ESP_AT_FAILED_RESULTS = new Set(['ERROR', 'FAIL', 'busy', 'none']);

function attrValue(v: FieldValue): string | number | boolean | undefined {
  if (v === null) return undefined;
  return typeof v === 'string' ? redactSecrets(v) : v;
}

/** Event / record fields as span attributes (strings redacted once more: defence in depth). */
function fieldAttributes(fields: Readonly<Record<string, FieldValue>>, prefix: string): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(fields)) {
    const value = attrValue(v);
    if (value !== undefined) out[`${prefix}${k}`] = value;
  }
  return out;
}

/**
 * One trace per boot (issue 6): a root span `boot` from the boot's first line to its end,
 * with child spans for the phases the parsers and analyzers report — ESP reset attempts,
 * Wi-Fi connect, DHCP, each ESP-AT command with its result, user milestones — span events
 * for faults, asserts, hypervisor errors and drift alerts, and status ERROR on failures.
 * A boot that never ends is ended at `maxBootUs` so its span is always exported.
 */
export class BootTracer {
  readonly #tracer: Tracer;
  readonly #options: BootTracerOptions;
  readonly #byId = new Map<string, BootTrace>();
  readonly #current = new Map<string, BootTrace>();

  constructor(tracer: Tracer, options: BootTracerOptions) {
    this.#tracer = tracer;
    this.#options = options;
  }

  current(port: string): BootTrace | undefined {
    return this.#current.get(port);
  }

  openCount(): number {
    let n = 0;
    for (const t of this.#byId.values()) if (!t.ended) n++;
    return n;
  }

  onBoot(boot: Boot): void {
    let t = this.#byId.get(boot.id);
    if (!t) {
      const previous = this.#current.get(boot.port);
      if (previous) {
        this.#end(previous, previous.lastAt, 'reboot');
        this.#byId.delete(previous.id);
      }
      t = this.#open(boot.id, boot.port, boot.hostStart);
      this.#current.set(boot.port, t);
    }
    if (t.ended) return;
    const root = t.root;
    if (boot.version) root.setAttribute('firmware.version', boot.version);
    if (boot.banner) root.setAttribute('boot.banner', redactSecrets(boot.banner));
    root.setAttribute('boot.kind', boot.kind);
    root.setAttribute('boot.index', boot.index);
    for (const m of boot.milestones.slice(t.milestones)) {
      this.#touch(t, m.hostTime);
      if (m.name === 'esp.ready') this.#closePhase(t, 'esp.reset', m.hostTime, undefined);
      if (m.name === 'wifi.connected') this.#connected(t, m.hostTime);
      if (!BUILTIN_MILESTONES.has(m.name)) {
        const span = this.#child(t, `milestone ${m.name}`, t.startedAt, { 'milestone.name': m.name });
        if (m.deviceTime !== undefined) span.setAttribute('device.uptime_us', m.deviceTime);
        span.setStatus({ code: SpanStatusCode.OK });
        span.end(hostTimeToHrTime(m.hostTime));
      }
    }
    t.milestones = boot.milestones.length;
    if (boot.endReason !== 'running') this.#end(t, t.lastAt, boot.endReason);
  }

  onRecord(record: ParsedRecord): void {
    const t = this.#current.get(record.line.port);
    if (!t) return;
    const at = record.line.hostTime;
    this.#touch(t, at);
    switch (record.kind) {
      case 'esp_at.reset_wait':
        this.#openPhase(t, 'esp.reset', at);
        break;
      case 'esp_at.rst_sent': {
        const span = this.#openPhase(t, 'esp.reset', at);
        t.resetAttempts++;
        span.setAttribute('esp.reset.attempts', t.resetAttempts);
        span.addEvent('AT+RST sent', { 'esp.reset.attempt': t.resetAttempts }, hostTimeToHrTime(at));
        break;
      }
      case 'esp_at.reset_result':
        t.phases.get('esp.reset')?.addEvent('reset result', fieldAttributes(record.fields, 'esp.'), hostTimeToHrTime(at));
        break;
      case 'esp_at.ready':
      case 'esp-at.ready':
        this.#closePhase(t, 'esp.reset', at, undefined);
        break;
      case 'wifi.connecting':
        this.#openPhase(t, 'wifi.connect', at, fieldAttributes(record.fields, 'wifi.'));
        break;
      case 'dhcp.start':
        this.#openPhase(t, 'dhcp', at);
        break;
      case 'esp-at.command':
        this.#espAtCommand(t, record);
        break;
      default:
        break;
    }
  }

  onEvent(event: BusEvent): void {
    const t = (event.boot !== null ? this.#byId.get(event.boot) : undefined) ?? this.#current.get(event.port);
    if (!t) return;
    const at = event.hostTime;
    this.#touch(t, at);
    const attrs: Attributes = { 'event.title': redactSecrets(event.title), 'event.severity': event.severity, ...fieldAttributes(event.attrs, 'event.') };
    if (event.hint) attrs['event.hint'] = redactSecrets(event.hint);
    switch (event.kind) {
      case 'esp.reset_failed':
        this.#failPhase(t, 'esp.reset', at, event.title, attrs);
        break;
      case 'wifi.connect_failed':
        this.#failPhase(t, 'wifi.connect', at, event.title, attrs);
        break;
      case 'wifi.connected':
        this.#connected(t, at);
        break;
      case 'dhcp.bound': {
        const open = t.phases.get('dhcp') ?? this.#openPhase(t, 'dhcp', t.connectedAt ?? at);
        for (const [k, v] of Object.entries(attrs)) if (v !== undefined) open.setAttribute(k, v);
        this.#closePhase(t, 'dhcp', at, undefined);
        break;
      }
      case 'clock.drift':
        t.root.addEvent('clock.drift', { ...attrs, 'event.state': event.state ?? 'raised' }, hostTimeToHrTime(at));
        break;
      default:
        if (FAILURE_EVENTS.has(event.kind)) {
          t.root.addEvent(event.kind, attrs, hostTimeToHrTime(at));
          this.#markFailed(t, `${event.kind}: ${event.title}`);
        }
        break;
    }
  }

  /** Ends boots that have been open longer than the bound. */
  tick(now: HostTime): void {
    for (const t of this.#byId.values()) {
      if (!t.ended && now - t.startedAt >= this.#options.maxBootUs) {
        t.root.setAttribute('boot.span_truncated', true);
        this.#end(t, now, 'running');
      }
    }
  }

  /** Ends every open boot (shutdown). */
  endAll(now: HostTime): void {
    for (const t of this.#byId.values()) if (!t.ended) this.#end(t, Math.min(now, t.lastAt), 'end');
  }

  #open(id: string, port: string, start: HostTime): BootTrace {
    const attributes: Attributes = { 'serial.port': port, 'boot.id': id };
    if (this.#options.board) attributes.board = this.#options.board;
    const root = this.#tracer.startSpan('boot', { root: true, startTime: hostTimeToHrTime(start), attributes }, ROOT_CONTEXT);
    const t: BootTrace = {
      id, port, root, context: trace.setSpan(ROOT_CONTEXT, root), startedAt: start, lastAt: start,
      ended: false, phases: new Map(), milestones: 0, resetAttempts: 0,
    };
    this.#byId.set(id, t);
    return t;
  }

  #touch(t: BootTrace, at: HostTime): void {
    if (at > t.lastAt) t.lastAt = at;
  }

  #child(t: BootTrace, name: string, start: HostTime, attributes: Attributes = {}): Span {
    return this.#tracer.startSpan(name, { startTime: hostTimeToHrTime(start), attributes: { 'serial.port': t.port, ...attributes } }, t.context);
  }

  #openPhase(t: BootTrace, name: string, at: HostTime, attributes?: Attributes): Span {
    const open = t.phases.get(name);
    if (open) return open;
    const span = this.#child(t, name, at, attributes);
    t.phases.set(name, span);
    return span;
  }

  #closePhase(t: BootTrace, name: string, at: HostTime, error: string | undefined): void {
    const span = t.phases.get(name);
    if (!span) return;
    t.phases.delete(name);
    span.setStatus(error === undefined ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: error });
    span.end(hostTimeToHrTime(at));
  }

  /** A failure closes the open phase, or records a zero-length one when none was seen opening. */
  #failPhase(t: BootTrace, name: string, at: HostTime, message: string, attrs: Attributes): void {
    const span = t.phases.get(name) ?? this.#openPhase(t, name, at);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) span.setAttribute(k, v);
    this.#closePhase(t, name, at, message);
    t.root.addEvent(name === 'esp.reset' ? 'esp.reset_failed' : 'wifi.connect_failed', attrs, hostTimeToHrTime(at));
    this.#markFailed(t, message);
  }

  #connected(t: BootTrace, at: HostTime): void {
    this.#closePhase(t, 'wifi.connect', at, undefined);
    if (t.connectedAt === undefined) {
      t.connectedAt = at;
      this.#options.onConnected?.(t.port, (at - t.startedAt) / 1e6);
    }
  }

  #espAtCommand(t: BootTrace, record: ParsedRecord): void {
    const f = record.fields;
    const command = typeof f.command === 'string' ? redactSecrets(f.command) : redactSecrets(record.message);
    const result = typeof f.result === 'string' ? f.result : 'none';
    const durationUs = typeof f.durationUs === 'number' && f.durationUs >= 0 ? f.durationUs : 0;
    // AT+CWJAP="ssid","…" → AT+CWJAP: a span name must not vary with arguments.
    const verb = /^AT(\+[A-Z_]+)?/.exec(command)?.[0] ?? 'AT';
    const start = record.line.hostTime;
    const attrs: Attributes = { 'esp_at.command': command, 'esp_at.result': result, 'esp_at.duration_us': durationUs };
    if (f.errCode !== undefined && f.errCode !== null) attrs['esp_at.err_code'] = attrValue(f.errCode);
    const span = this.#child(t, `esp-at ${verb}`, start, attrs);
    const failed = ESP_AT_FAILED_RESULTS.has(result);
    span.setStatus(failed ? { code: SpanStatusCode.ERROR, message: `${verb} → ${result}` } : { code: SpanStatusCode.OK });
    span.end(hostTimeToHrTime(start + durationUs));
    this.#touch(t, start + durationUs);
  }

  #markFailed(t: BootTrace, message: string): void {
    if (t.failure !== undefined) return;
    t.failure = message;
    t.root.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  #end(t: BootTrace, at: HostTime, reason: string): void {
    if (t.ended) return;
    t.ended = true;
    for (const [name, span] of t.phases) {
      // A phase that never finished: it did not succeed, but nothing said it failed either.
      span.setAttribute('phase.unfinished', true);
      span.end(hostTimeToHrTime(Math.max(at, t.startedAt)));
      t.phases.delete(name);
    }
    t.root.setAttribute('boot.end_reason', reason);
    if (t.failure === undefined && (reason === 'fault' || reason === 'hv.error')) this.#markFailed(t, `boot ended by ${reason}`);
    t.root.end(hostTimeToHrTime(Math.max(at, t.startedAt)));
  }
}
