import type { Subscription } from 'rxjs';

import type { AlertRuleConfig } from '../config/sections/alerts.ts';
import type { BusEvent, Severity } from '../core/bus-event.ts';
import { formatHostTime, hostClock, type HostTime } from '../core/host-time.ts';
import type { QueueStats } from '../pipeline/bounded-queue.ts';
import type { EventBus } from '../pipeline/event-bus.ts';
import type { Runtime } from '../pipeline/runtime.ts';
import type { Sink } from '../pipeline/sink.ts';
import type { AlertRecord } from '../store/history-query.ts';
import type { ActionStats } from './action-stats.ts';
import { redactSecrets } from '../../parsers/redact.ts';
import { alertPayload } from './alert-payload.ts';
import { CommandAction } from './command-action.ts';
import { WebhookAction } from './webhook-action.ts';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export interface AlertSinkOptions {
  /** Called with one ready-made line per firing and per resolved alert; the lead wires it to stdout. */
  readonly onTerminal?: (line: string, alert: AlertRecord) => void;
  readonly clock?: { now(): HostTime };
  /** Random source for webhook jitter (tests pass a fixed one). */
  readonly random?: () => number;
  /** How long `stop` lets queued webhook/command actions finish (ms). Default 2000. */
  readonly stopDeadlineMs?: number;
}

interface CompiledRule {
  readonly config: AlertRuleConfig;
  readonly kinds: ReadonlySet<string>;
  readonly pattern?: RegExp;
  readonly cooldownUs: number;
  readonly terminal: boolean;
  readonly webhooks: WebhookAction[];
  readonly commands: CommandAction[];
}

/** What the sink remembers per rule and port. */
interface AlertState {
  alert: AlertRecord;
  /** When actions last ran for this rule and port (host µs). */
  lastActionAt?: HostTime;
  resolveTimer?: NodeJS.Timeout;
}

export function formatAlertLine(alert: AlertRecord): string {
  const at = formatHostTime(alert.state === 'firing' ? alert.lastAt : (alert.resolvedAt ?? alert.lastAt));
  const what = alert.state === 'firing' ? 'FIRING' : 'RESOLVED';
  const count = alert.count > 1 ? ` (x${alert.count})` : '';
  return `${at} ALERT ${what} ${alert.rule} [${alert.port}] ${alert.kind}: ${alert.title}${count}`;
}

/**
 * Turns events into alerts. Per rule and port there is at most one firing alert: repeats
 * while it fires only raise its count (deduplication). A condition event (`clock.drift`,
 * `stall`: it has a `state`) resolves when its `cleared` event arrives; any other alert
 * resolves after `cooldown_secs` without a repeat. Actions run when an alert fires, at most
 * once per `cooldown_secs` per rule and port, so a flapping condition does not page twice.
 * Every firing/update/resolve is published on the bus as an `alert` message; the store sink
 * persists it (the alert sink never touches the store itself).
 */
export class AlertSink implements Sink {
  readonly name = 'alerts';
  readonly #rules: CompiledRule[];
  readonly #states = new Map<string, AlertState>();
  readonly #options: AlertSinkOptions;
  readonly #clock: { now(): HostTime };
  #bus: EventBus | undefined;
  #subscription: Subscription | undefined;
  /** Events seen, alerts fired, and actions suppressed by the cooldown. */
  readonly counters = { events: 0, fired: 0, deduplicated: 0, resolved: 0, suppressed: 0 };

  constructor(rules: readonly AlertRuleConfig[], options: AlertSinkOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? hostClock;
    this.#rules = rules.map((config) => ({
      config,
      kinds: new Set(config.kinds),
      ...(config.pattern !== undefined ? { pattern: new RegExp(config.pattern) } : {}),
      cooldownUs: config.cooldown_secs * 1_000_000,
      terminal: config.actions.some((a) => a.type === 'terminal'),
      webhooks: config.actions.flatMap((a) => (a.type === 'webhook' ? [new WebhookAction(config.name, a, options.random)] : [])),
      commands: config.actions.flatMap((a) => (a.type === 'command' ? [new CommandAction(config.name, a)] : [])),
    }));
  }

  start(bus: EventBus, _runtime?: Runtime): void {
    this.#bus = bus;
    this.#subscription = bus.messages$.subscribe((m) => {
      if (m.type === 'event') this.#onEvent(m.event);
    });
  }

  /** Alerts firing now, per rule and port. */
  firing(): AlertRecord[] {
    return [...this.#states.values()].map((s) => s.alert).filter((a) => a.state === 'firing');
  }

  actionStats(): ActionStats[] {
    return this.#rules.flatMap((r) => [...r.webhooks, ...r.commands].map((a) => ({ ...a.stats })));
  }

  /** Webhook and command actions summed: received = queued, delivered = succeeded, errors = failed. */
  stats(): QueueStats {
    const all = this.actionStats();
    const sum = (f: (s: ActionStats) => number): number => all.reduce((n, s) => n + f(s), 0);
    const dropped = sum((s) => s.dropped);
    return {
      received: sum((s) => s.received),
      delivered: sum((s) => s.succeeded),
      dropped,
      droppedBy: dropped ? { queue_full_or_shutdown: dropped } : {},
      errors: sum((s) => s.failed),
      depth: sum((s) => s.received - s.succeeded - s.failed - s.dropped),
      capacity: this.#rules.reduce((n, r) => n + r.webhooks.length + r.commands.length, 0),
    };
  }

  /** Resolves when every queued webhook and command has finished. */
  async drained(): Promise<void> {
    await Promise.all(this.#rules.flatMap((r) => [...r.webhooks, ...r.commands].map((a) => a.drained())));
  }

  async stop(): Promise<void> {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    for (const s of this.#states.values()) if (s.resolveTimer) clearTimeout(s.resolveTimer);
    const deadline = this.#options.stopDeadlineMs ?? 2000;
    await Promise.all(this.#rules.flatMap((r) => [...r.webhooks, ...r.commands].map((a) => a.stop(deadline))));
  }

  #onEvent(event: BusEvent): void {
    this.counters.events++;
    for (const rule of this.#rules) {
      const c = rule.config;
      if (!rule.kinds.has(event.kind) && !rule.kinds.has('*')) continue;
      if (c.port !== undefined && c.port !== event.port) continue;
      const key = `${c.name}\u0000${event.port}`;
      if (event.state === 'cleared') {
        // A cleared condition resolves whatever its raise started, whatever the cleared event's severity.
        this.#resolve(rule, key);
        continue;
      }
      if (c.severity !== undefined && SEVERITY_RANK[event.severity] < SEVERITY_RANK[c.severity]) continue;
      if (rule.pattern && !rule.pattern.test(event.title)) continue;
      this.#fire(rule, key, event);
    }
  }

  #fire(rule: CompiledRule, key: string, event: BusEvent): void {
    const now = this.#clock.now();
    const state = this.#states.get(key);
    if (state && state.alert.state === 'firing') {
      this.counters.deduplicated++;
      state.alert = { ...state.alert, count: state.alert.count + 1, lastAt: event.hostTime, title: redactSecrets(event.title), eventId: event.id };
      this.#publish(state.alert);
      if (event.state === undefined) this.#armResolve(rule, key, state);
      return;
    }
    const alert: AlertRecord = {
      id: `${rule.config.name}:${event.port}:${event.hostTime}`,
      rule: rule.config.name,
      port: event.port,
      kind: event.kind,
      state: 'firing',
      firstAt: event.hostTime,
      lastAt: event.hostTime,
      count: 1,
      // Titles are device output; the alert record goes to the store, the dashboard and stdout.
      title: redactSecrets(event.title),
      eventId: event.id,
    };
    const next: AlertState = { alert, ...(state?.lastActionAt !== undefined ? { lastActionAt: state.lastActionAt } : {}) };
    this.#states.set(key, next);
    this.counters.fired++;
    this.#publish(alert);
    if (next.lastActionAt !== undefined && now - next.lastActionAt < rule.cooldownUs) {
      this.counters.suppressed++;
    } else {
      next.lastActionAt = now;
      this.#runActions(rule, alert, event);
    }
    if (event.state === undefined) this.#armResolve(rule, key, next);
  }

  #armResolve(rule: CompiledRule, key: string, state: AlertState): void {
    if (state.resolveTimer) clearTimeout(state.resolveTimer);
    state.resolveTimer = setTimeout(() => this.#resolve(rule, key), rule.config.cooldown_secs * 1000);
    state.resolveTimer.unref();
  }

  #resolve(rule: CompiledRule, key: string): void {
    const state = this.#states.get(key);
    if (!state || state.alert.state !== 'firing') return;
    if (state.resolveTimer) clearTimeout(state.resolveTimer);
    delete state.resolveTimer;
    state.alert = { ...state.alert, state: 'resolved', resolvedAt: this.#clock.now() };
    this.counters.resolved++;
    this.#publish(state.alert);
    if (rule.terminal) this.#options.onTerminal?.(formatAlertLine(state.alert), state.alert);
  }

  #runActions(rule: CompiledRule, alert: AlertRecord, event: BusEvent): void {
    if (rule.terminal) this.#options.onTerminal?.(formatAlertLine(alert), alert);
    if (rule.webhooks.length === 0 && rule.commands.length === 0) return;
    const body = alertPayload(event);
    for (const w of rule.webhooks) w.enqueue({ body, alertId: alert.id });
    for (const c of rule.commands) c.enqueue({ body, alertId: alert.id });
  }

  #publish(alert: AlertRecord): void {
    this.#bus?.publish({ type: 'alert', alert });
  }
}
