import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Boot } from '../../../daemon/core/boot.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { Runtime } from '../../../daemon/pipeline/runtime.ts';
import { openStore, storePath } from '../../../daemon/store/store.ts';
import { StoreSink } from '../../../daemon/store/store-sink.ts';
import { boot, event, line, T0, tempDir, TestClock } from '../../unit/store/store-fixtures.ts';

const runtime = { ports: () => [{ name: 'console', source: '/dev/ttyACM0' }] } as unknown as Runtime;

/** One daemon run: a store, a bus, a store sink; `lines` lines and one boot on `console`. */
async function runDaemon(path: string, clock: TestClock, first: { seq: number; bootIndex: number }, lines: number): Promise<Boot> {
  const store = openStore(path, { clock });
  const bus = new EventBus();
  const sink = new StoreSink(store, { clock });
  sink.start(bus, runtime);
  bus.publish({ type: 'status', status: { port: 'console', state: 'connected', hostTime: clock.now() } });
  const b = boot({ id: `run-${first.bootIndex}`, index: first.bootIndex, firstSeq: first.seq, hostStart: clock.now() });
  bus.publish({ type: 'boot', boot: b });
  for (let i = 0; i < lines; i++) bus.publish({ type: 'line', line: line('console', first.seq + i) });
  bus.publish({ type: 'event', event: event({ id: `ev-${first.bootIndex}`, boot: b.id, hostTime: clock.now(), lines: { port: 'console', first: first.seq + 2, last: first.seq + 2 } }) });
  await sink.stop();
  store.close();
  return b;
}

describe('a restarted daemon', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('finds history intact and continues the boot index and the line seq where the last run stopped', async () => {
    const path = storePath(tmp.dir);
    const clock = new TestClock(T0);
    const first = await runDaemon(path, clock, { seq: 0, bootIndex: 0 }, 100);

    clock.t = T0 + 60_000_000;
    const reopened = openStore(path, { clock });
    const next = { seq: (reopened.lastSeq('console') ?? -1) + 1, bootIndex: (reopened.lastBootIndex('console') ?? -1) + 1 };
    expect(next).toEqual({ seq: 100, bootIndex: 1 });
    expect(reopened.lastBoot('console')).toEqual(first);
    reopened.close();

    const second = await runDaemon(path, clock, next, 10);
    const store = openStore(path, { clock, readonly: true });
    expect(store.history.boots().map((b) => [b.id, b.index, b.firstSeq])).toEqual([
      [first.id, 0, 0],
      [second.id, 1, 100],
    ]);
    expect(store.history.events().map((e) => e.id)).toEqual(['ev-0', 'ev-1']);
    expect(store.lastSeq('console')).toBe(109);
    expect(store.history.ports().map((p) => p.reason)).toEqual(['daemon stopped', 'daemon stopped']);
    store.close();
  });

  it('closes the sessions a crashed daemon left open, at its last write', async () => {
    const path = storePath(tmp.dir);
    const clock = new TestClock(T0);
    const crashed = openStore(path, { clock });
    crashed.write([{ type: 'status', status: { port: 'console', state: 'connected', hostTime: T0 } }]);
    clock.t = T0 + 5_000_000;
    crashed.write([{ type: 'event', event: event({ hostTime: clock.t }) }]);
    crashed.close(); // no StoreSink.stop(): the process died

    clock.t = T0 + 3_600_000_000;
    const store = openStore(path, { clock });
    const sink = new StoreSink(store, { clock });
    sink.start(new EventBus(), runtime);
    expect(store.history.ports()).toEqual([{ port: 'console', source: '', openedAt: T0, closedAt: T0 + 5_000_000, reason: 'daemon stopped unexpectedly' }]);
    await sink.stop();
    store.close();
  });
});
