import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AlertSink } from '../../../daemon/alerts/alert-sink.ts';
import { alertRuleSchema } from '../../../daemon/config/sections/alerts.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { Runtime } from '../../../daemon/pipeline/runtime.ts';
import { openStore, storePath, type Store } from '../../../daemon/store/store.ts';
import { StoreSink } from '../../../daemon/store/store-sink.ts';
import { event, T0, tempDir, TestClock } from '../../unit/store/store-fixtures.ts';

describe('alerts through the bus into the store', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = tempDir();
    store = openStore(storePath(tmp.dir), { clock: new TestClock() });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('keeps one row per alert that moves from firing to resolved, next to the events that raised it', async () => {
    const clock = new TestClock(T0);
    const bus = new EventBus();
    const storeSink = new StoreSink(store, { clock });
    const alertSink = new AlertSink([alertRuleSchema.parse({ name: 'drift', kinds: ['clock.drift'], actions: [{ type: 'terminal' }] })], { clock });
    storeSink.start(bus, { ports: () => [] } as unknown as Runtime);
    alertSink.start(bus, {} as Runtime);

    const raised = event({ kind: 'clock.drift', severity: 'warning', state: 'raised', hostTime: T0 });
    const updated = event({ kind: 'clock.drift', severity: 'warning', state: 'updated', hostTime: T0 + 1_000_000 });
    bus.publish({ type: 'event', event: raised });
    bus.publish({ type: 'event', event: updated });
    await storeSink.drained();
    expect(store.history.alerts({ state: 'firing' })).toMatchObject([{ rule: 'drift', count: 2, eventId: updated.id }]);

    clock.t = T0 + 9_000_000;
    bus.publish({ type: 'event', event: event({ kind: 'clock.drift', severity: 'info', state: 'cleared', hostTime: clock.t }) });
    await alertSink.stop();
    await storeSink.stop();

    expect(store.history.alerts({ state: 'firing' })).toEqual([]);
    expect(store.history.alerts()).toEqual([
      { id: `drift:console:${T0}`, rule: 'drift', port: 'console', kind: 'clock.drift', state: 'resolved', firstAt: T0, lastAt: T0 + 1_000_000, count: 2, title: raised.title, eventId: updated.id, resolvedAt: T0 + 9_000_000 },
    ]);
    expect(store.history.events({ kind: 'clock.drift' }).map((e) => e.state)).toEqual(['raised', 'updated', 'cleared']);
  });
});
