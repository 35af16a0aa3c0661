import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { Runtime } from '../../../daemon/pipeline/runtime.ts';
import { openStore, storePath, type Store, type StoreWrite } from '../../../daemon/store/store.ts';
import { StoreSink } from '../../../daemon/store/store-sink.ts';
import { boot, event, fit, line, T0, tempDir, TestClock } from '../../unit/store/store-fixtures.ts';

/** The part of Runtime the store sink reads: the configured source of each port. */
function runtimeWithPorts(ports: Array<{ name: string; source: string }>): Runtime {
  return { ports: () => ports } as unknown as Runtime;
}

describe('StoreSink on a real EventBus', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  let bus: EventBus;
  const sinks: StoreSink[] = [];

  beforeEach(() => {
    tmp = tempDir();
    store = openStore(storePath(tmp.dir), { clock: new TestClock() });
    bus = new EventBus();
  });
  afterEach(async () => {
    for (const s of sinks.splice(0)) await s.stop();
    store.close();
    tmp.cleanup();
  });

  const start = (sink: StoreSink, runtime?: Runtime): StoreSink => {
    sinks.push(sink);
    sink.start(bus, runtime ?? runtimeWithPorts([]));
    return sink;
  };

  it('persists events, boots, drift fits, port status and alerts, and not lines or records', async () => {
    const sink = start(new StoreSink(store, { clock: new TestClock(T0 + 50) }), runtimeWithPorts([{ name: 'console', source: '/dev/ttyACM0' }]));
    const e = event();
    bus.publish({ type: 'status', status: { port: 'console', state: 'connected', hostTime: T0 } });
    bus.publish({ type: 'line', line: line('console', 0) });
    bus.publish({ type: 'record', record: { line: line('console', 0), lastSeq: 0, dialect: 'text', kind: 'text', message: 'x', fields: {} } });
    bus.publish({ type: 'boot', boot: boot() });
    bus.publish({ type: 'event', event: e });
    bus.publish({ type: 'drift', fit: fit() });
    bus.publish({ type: 'alert', alert: { id: 'a', rule: 'r', port: 'console', kind: 'fault', state: 'firing', firstAt: T0, lastAt: T0, count: 1, title: 't', eventId: e.id } });
    await sink.drained();

    expect(store.history.events()).toEqual([e]);
    expect(store.history.boots()).toEqual([boot()]);
    expect(store.history.drift()).toEqual([{ ...fit(), hostTime: T0 + 50 }]);
    expect(store.history.alerts().map((a) => a.id)).toEqual(['a']);
    expect(store.history.ports()).toEqual([{ port: 'console', source: '/dev/ttyACM0', openedAt: T0 }]);
    expect(sink.stats()).toMatchObject({ received: 5, delivered: 5, dropped: 0, errors: 0 });
  });

  it('writes a burst in a few transactions, not one per message', async () => {
    let transactions = 0;
    const counting: Store = { ...store, write: (items, seqs) => { transactions++; store.write(items, seqs); } };
    const sink = start(new StoreSink(counting, { maxBatch: 500 }));
    for (let i = 0; i < 2000; i++) bus.publish({ type: 'event', event: event({ hostTime: T0 + i }) });
    await sink.drained();
    expect(store.history.events({ limit: 5000 })).toHaveLength(2000);
    expect(transactions).toBeLessThanOrEqual(4 + 1);
  });

  it('drops the newest messages when its queue is full, counts them, and never throws into the bus', async () => {
    const sink = start(new StoreSink(store, { queueCapacity: 16 }));
    const published = Array.from({ length: 100 }, (_, i) => event({ hostTime: T0 + i }));
    expect(() => { for (const e of published) bus.publish({ type: 'event', event: e }); }).not.toThrow();
    await sink.drained();
    expect(store.history.events().map((e) => e.id)).toEqual(published.slice(0, 16).map((e) => e.id));
    expect(sink.stats()).toMatchObject({ received: 100, delivered: 16, dropped: 84, droppedBy: { queue_full: 84 } });
  });

  it('counts a failed write as an error and keeps going', async () => {
    let fail = true;
    const flaky: Store = { ...store, write: (items, seqs) => { if (fail) { fail = false; throw new Error('disk I/O error'); } store.write(items, seqs); } };
    const sink = start(new StoreSink(flaky));
    bus.publish({ type: 'event', event: event() });
    await sink.drained();
    const ok = event();
    bus.publish({ type: 'event', event: ok });
    await sink.drained();
    expect(store.history.events().map((e) => e.id)).toEqual([ok.id]);
    expect(sink.stats().errors).toBe(1);
  });

  it('saves the last line seq of every port with its batches and on stop', async () => {
    const sink = start(new StoreSink(store, { seqFlushIntervalMs: 60_000 }));
    for (let seq = 0; seq <= 41; seq++) bus.publish({ type: 'line', line: line('console', seq) });
    bus.publish({ type: 'event', event: event({ lines: { port: 'console', first: 3, last: 3 } }) });
    await sink.drained();
    expect(store.lastSeq('console')).toBe(41);
    for (let seq = 0; seq <= 9; seq++) bus.publish({ type: 'line', line: line('esp', seq) });
    await sink.stop();
    expect(store.lastSeq('esp')).toBe(9);
  });

  it('opens a session on connected and closes it with the reason of retrying or gone', async () => {
    const sink = start(new StoreSink(store), runtimeWithPorts([{ name: 'esp', source: 'tcp://127.0.0.1:4001' }]));
    const status = (state: 'connected' | 'retrying' | 'gone', hostTime: number, reason?: string): void =>
      bus.publish({ type: 'status', status: { port: 'esp', state, hostTime, ...(reason ? { reason } : {}) } });
    status('connected', T0);
    status('retrying', T0 + 10, 'disconnected');
    status('retrying', T0 + 20, 'ECONNREFUSED');
    status('connected', T0 + 30);
    status('gone', T0 + 40);
    await sink.drained();
    expect(store.history.ports()).toEqual([
      { port: 'esp', source: 'tcp://127.0.0.1:4001', openedAt: T0, closedAt: T0 + 10, reason: 'disconnected' },
      { port: 'esp', source: 'tcp://127.0.0.1:4001', openedAt: T0 + 30, closedAt: T0 + 40, reason: 'gone' },
    ]);
  });
});
