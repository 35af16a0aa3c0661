import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../daemon/pipeline/bounded-queue.ts';

describe('BoundedQueue', () => {
  it('delivers in order, in batches, and never blocks the producer', async () => {
    const seen: number[][] = [];
    const q = new BoundedQueue<number>('t', 100, (batch) => { seen.push(batch); }, 10);
    for (let i = 0; i < 25; i++) expect(q.push(i)).toBe(true);
    await q.drained();
    expect(seen.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(seen.every((b) => b.length <= 10)).toBe(true);
    expect(q.stats).toMatchObject({ received: 25, delivered: 25, dropped: 0 });
  });

  it('drops the newest when full and counts why, while a slow consumer works', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const got: number[] = [];
    const q = new BoundedQueue<number>('slow', 5, async (batch) => { await gate; got.push(...batch); }, 100);
    const accepted = Array.from({ length: 20 }, (_, i) => q.push(i));
    expect(accepted.filter(Boolean)).toHaveLength(5);
    expect(q.stats.dropped).toBe(15);
    expect(q.stats.droppedBy.queue_full).toBe(15);
    release();
    await q.drained();
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('counts a consumer that throws and goes on with the next batch', async () => {
    const got: number[] = [];
    const q = new BoundedQueue<number>('err', 10, (batch) => { if (batch.includes(0)) throw new Error('boom'); got.push(...batch); }, 1);
    q.push(0); q.push(1);
    await q.drained();
    expect(q.stats.errors).toBe(1);
    expect(got).toEqual([1]);
  });

  it('refuses items after close and drains what it has', async () => {
    const got: number[] = [];
    const q = new BoundedQueue<number>('c', 10, (b) => { got.push(...b); });
    q.push(1);
    await q.close();
    expect(q.push(2)).toBe(false);
    expect(got).toEqual([1]);
    expect(q.stats.droppedBy.shutdown).toBe(1);
  });
});
