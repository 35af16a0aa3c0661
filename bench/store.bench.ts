import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BusEvent } from '../daemon/core/bus-event.ts';
import { hostClock } from '../daemon/core/host-time.ts';
import { EventBus } from '../daemon/pipeline/event-bus.ts';
import type { Runtime } from '../daemon/pipeline/runtime.ts';
import { openStore, storePath } from '../daemon/store/store.ts';
import { StoreSink } from '../daemon/store/store-sink.ts';

/**
 * Store throughput: 100,000 events published on a real EventBus in bursts of 5,000 (a
 * yield between bursts, as serial reads would give), written by the StoreSink in batched
 * transactions to a WAL SQLite file on tmpfs/disk. Prints events/s from the first publish to
 * the last row committed, the time the bus spent per publish (the cost a source sees), and
 * the file size per 100k events after a checkpoint.
 */
const N = 100_000;
const BURST = 5000;
const KINDS = ['fault', 'wifi.connect_failed', 'esp.reset_failed', 'log.dropped', 'uart.shared', 'clock.drift'] as const;

function makeEvent(i: number, t0: number): BusEvent {
  const port = i % 4 === 0 ? 'esp' : 'console';
  return {
    id: `${port}:${i}`,
    kind: KINDS[i % KINDS.length] ?? 'fault',
    severity: i % 3 === 0 ? 'error' : 'warning',
    port,
    boot: `${port}#${Math.floor(i / 1000)}`,
    hostTime: t0 + i * 100,
    deviceTime: i * 1000,
    title: `Failed to connect to Wi-Fi network: -115 (ENETDOWN) #${i}`,
    attrs: { errno: -115, errnoName: 'ENETDOWN', ssid: 'rpi3-hotspot', tries: i % 5, fatal: false },
    lines: { port, first: i * 3, last: i * 3 + 2 },
  };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'uartscope-store-bench-'));
  try {
    const path = storePath(dir);
    const store = openStore(path);
    const bus = new EventBus();
    const sink = new StoreSink(store);
    sink.start(bus, { ports: () => [] } as unknown as Runtime);
    const t0 = hostClock.now();
    const events = Array.from({ length: N }, (_, i) => makeEvent(i, t0));

    let publishNs = 0n;
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i += BURST) {
      const p0 = process.hrtime.bigint();
      for (let j = i; j < Math.min(N, i + BURST); j++) bus.publish({ type: 'event', event: events[j] as BusEvent });
      publishNs += process.hrtime.bigint() - p0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await sink.drained();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const stats = sink.stats();
    await sink.stop();

    const q0 = process.hrtime.bigint();
    const rows = store.history.events({ kind: 'fault', limit: 1000 }).length;
    const queryMs = Number(process.hrtime.bigint() - q0) / 1e6;
    store.close(); // checkpoints the WAL into the main file
    const bytes = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

    console.log(`store events written: ${stats.delivered} events (dropped ${stats.dropped}, errors ${stats.errors})`);
    console.log(`store write throughput: ${Math.round(stats.delivered / seconds)} events/s`);
    console.log(`store bus publish cost: ${(Number(publishNs) / N).toFixed(0)} ns/event`);
    console.log(`store db size: ${(bytes / 1024 / 1024 / (stats.delivered / N)).toFixed(1)} MiB per 100k events`);
    console.log(`store query last 1000 of one kind: ${queryMs.toFixed(1)} ms (${rows} rows)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
