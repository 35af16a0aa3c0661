import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { alertRuleSchema, type AlertRuleConfig } from '../../../daemon/config/sections/alerts.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import { AlertSink } from '../../../daemon/alerts/alert-sink.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { Runtime } from '../../../daemon/pipeline/runtime.ts';
import type { AlertRecord } from '../../../daemon/store/history-query.ts';
import { event, T0, TestClock } from '../store/store-fixtures.ts';

const rule = (over: Partial<Record<keyof AlertRuleConfig, unknown>>): AlertRuleConfig => alertRuleSchema.parse({ name: 'faults', kinds: ['fault'], ...over });

describe('AlertSink', () => {
  let bus: EventBus;
  let clock: TestClock;
  let published: AlertRecord[];
  let terminal: string[];
  let sink: AlertSink | undefined;

  const startSink = (rules: AlertRuleConfig[]): AlertSink => {
    sink = new AlertSink(rules, { clock, onTerminal: (l) => terminal.push(l) });
    sink.start(bus, {} as Runtime);
    return sink;
  };
  const emit = (over: Partial<BusEvent> = {}): BusEvent => {
    const e = event({ hostTime: clock.now(), ...over });
    bus.publish({ type: 'event', event: e });
    return e;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    bus = new EventBus();
    clock = new TestClock(T0);
    published = [];
    terminal = [];
    bus.messages$.subscribe((m) => { if (m.type === 'alert') published.push(m.alert); });
  });
  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
    vi.useRealTimers();
  });

  it('fires once for repeats of one rule and port, counting them, and runs the terminal action once', () => {
    startSink([rule({ cooldown_secs: 60 })]);
    const first = emit();
    emit();
    const last = emit({ title: 'HARD FAULT again' });
    expect(terminal).toHaveLength(1);
    expect(terminal[0]).toMatch(/ALERT FIRING faults \[console\] fault: HARD FAULT in thread main/);
    expect(published.map((a) => [a.state, a.count])).toEqual([['firing', 1], ['firing', 2], ['firing', 3]]);
    expect(published.at(-1)).toMatchObject({ id: `faults:console:${first.hostTime}`, firstAt: first.hostTime, lastAt: last.hostTime, eventId: last.id, title: 'HARD FAULT again' });
    expect(sink?.firing()).toHaveLength(1);
  });

  it('keeps separate alerts per port', () => {
    startSink([rule({})]);
    emit({ port: 'console' });
    emit({ port: 'esp' });
    expect(published.map((a) => [a.port, a.count])).toEqual([['console', 1], ['esp', 1]]);
    expect(terminal).toHaveLength(2);
  });

  it('resolves after cooldown_secs without a repeat, then fires anew on the next event', async () => {
    startSink([rule({ cooldown_secs: 30 })]);
    emit();
    await vi.advanceTimersByTimeAsync(20_000);
    emit(); // a repeat restarts the quiet period
    await vi.advanceTimersByTimeAsync(20_000);
    expect(published.at(-1)?.state).toBe('firing');
    clock.t = T0 + 50_000_000;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(published.at(-1)).toMatchObject({ state: 'resolved', count: 2, resolvedAt: T0 + 50_000_000 });
    expect(terminal.at(-1)).toMatch(/ALERT RESOLVED faults/);

    clock.t = T0 + 100_000_000;
    emit();
    expect(published.at(-1)).toMatchObject({ state: 'firing', count: 1, firstAt: T0 + 100_000_000 });
    expect(terminal.filter((l) => l.includes('FIRING'))).toHaveLength(2);
  });

  it('resolves a condition alert when its cleared event arrives, and a quick re-raise does not run the actions again', () => {
    startSink([rule({ name: 'drift', kinds: ['clock.drift'], severity: 'warning', cooldown_secs: 300 })]);
    emit({ kind: 'clock.drift', severity: 'warning', state: 'raised', title: 'clock runs at 1/8' });
    emit({ kind: 'clock.drift', severity: 'warning', state: 'updated', title: 'clock runs at 0.125' });
    clock.t = T0 + 10_000_000;
    emit({ kind: 'clock.drift', severity: 'info', state: 'cleared', title: 'clock back to 1.0' });
    expect(published.map((a) => a.state)).toEqual(['firing', 'firing', 'resolved']);
    expect(published.at(-1)).toMatchObject({ count: 2, resolvedAt: T0 + 10_000_000 });

    clock.t = T0 + 20_000_000;
    emit({ kind: 'clock.drift', severity: 'warning', state: 'raised', title: 'clock runs at 1/8' });
    expect(published.at(-1)?.state).toBe('firing');
    expect(terminal.filter((l) => l.includes('FIRING'))).toHaveLength(1);
    expect(sink?.counters.suppressed).toBe(1);
  });

  it('does not resolve a condition alert by the cooldown timer', async () => {
    startSink([rule({ name: 'stall', kinds: ['stall'], cooldown_secs: 5 })]);
    emit({ kind: 'stall', severity: 'error', state: 'raised' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(published.map((a) => a.state)).toEqual(['firing']);
  });

  it('matches only events at or above the minimum severity, of the rule port, with a title matching the pattern', () => {
    startSink([rule({ kinds: ['wifi.connect_failed', 'fault'], severity: 'error', port: 'console', pattern: '-11[56]' })]);
    emit({ kind: 'wifi.connect_failed', severity: 'warning', title: 'connect failed -115' });
    emit({ kind: 'wifi.connect_failed', severity: 'error', port: 'esp', title: 'connect failed -115' });
    emit({ kind: 'wifi.connect_failed', severity: 'error', title: 'connect failed -5' });
    emit({ kind: 'dhcp.bound', severity: 'error', title: 'got -115' });
    expect(published).toEqual([]);
    emit({ kind: 'wifi.connect_failed', severity: 'critical', title: 'connect failed -115 (ENETDOWN)' });
    expect(published.map((a) => a.kind)).toEqual(['wifi.connect_failed']);
  });

  it('matches every kind with "*"', () => {
    startSink([rule({ kinds: ['*'] })]);
    emit({ kind: 'uart.shared' });
    expect(published.map((a) => a.kind)).toEqual(['uart.shared']);
  });

  it('never lets a Wi-Fi password through in an alert title', () => {
    startSink([rule({ kinds: ['uart.shared'] })]);
    emit({ kind: 'uart.shared', title: 'ESP-AT on console: AT+CWJAP="lab","hunter2"' });
    expect(published[0]?.title).toBe('ESP-AT on console: AT+CWJAP="lab","[redacted]"');
    expect(terminal.join('\n')).not.toContain('hunter2');
  });
});
