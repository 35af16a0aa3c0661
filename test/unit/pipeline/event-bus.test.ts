import { afterEach, describe, expect, it } from 'vitest';
import { config as rxjsConfig, filter, map } from 'rxjs';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';

const status = (port: string): BusMessage => ({ type: 'status', status: { port, state: 'connected', hostTime: 0 } });
const portOf = (m: BusMessage): string => (m.type === 'status' ? m.status.port : '?');

afterEach(() => {
  rxjsConfig.onUnhandledError = null;
});

describe('EventBus', () => {
  it('hands every message to every subscriber in order, through rxjs operators', () => {
    const bus = new EventBus();
    const a: string[] = [];
    const b: string[] = [];
    bus.messages$.subscribe((m) => a.push(portOf(m)));
    bus.messages$.pipe(filter((m) => portOf(m) !== 'x'), map(portOf)).subscribe((p) => b.push(p));
    for (const p of ['console', 'x', 'esp']) bus.publish(status(p));
    expect(a).toEqual(['console', 'x', 'esp']);
    expect(b).toEqual(['console', 'esp']);
  });

  it('stops delivering to a subscriber that unsubscribed, even from inside a delivery', () => {
    const bus = new EventBus();
    const first: string[] = [];
    const second: string[] = [];
    const sub = bus.messages$.subscribe((m) => {
      first.push(portOf(m));
      sub.unsubscribe();
    });
    bus.messages$.subscribe((m) => second.push(portOf(m)));
    bus.publish(status('a'));
    bus.publish(status('b'));
    expect(first).toEqual(['a']);
    expect(second).toEqual(['a', 'b']);
  });

  it('reports a throwing subscriber the rxjs way and still delivers to the others', () => {
    const bus = new EventBus();
    const reported: unknown[] = [];
    rxjsConfig.onUnhandledError = (err) => reported.push(err);
    const got: string[] = [];
    bus.messages$.subscribe(() => { throw new Error('sink bug'); });
    bus.messages$.subscribe((m) => got.push(portOf(m)));
    bus.publish(status('a'));
    expect(got).toEqual(['a']);
    return new Promise<void>((resolve) => setTimeout(() => {
      expect(reported.map((e) => (e as Error).message)).toEqual(['sink bug']);
      resolve();
    }, 10));
  });

  it('completes its subscribers once, ignores later messages, and completes late subscribers at once', () => {
    const bus = new EventBus();
    let completions = 0;
    const got: string[] = [];
    bus.messages$.subscribe({ next: (m) => got.push(portOf(m)), complete: () => completions++ });
    bus.complete();
    bus.complete();
    bus.publish(status('late'));
    bus.messages$.subscribe({ complete: () => completions++ });
    expect(got).toEqual([]);
    expect(completions).toBe(2);
  });
});
