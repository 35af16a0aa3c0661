import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Line } from '../../daemon/core/line.ts';
import type { PortStatus } from '../../daemon/core/port-status.ts';
import type { IngestItem } from '../../daemon/ingest/ingest-item.ts';
import { ItemBatchWriter, forEachItem, type ItemBatch } from '../../daemon/ingest/item-batch.ts';

const PORTS = ['console', 'esp', 'hv'];

const lineArb: fc.Arbitrary<Line> = fc.record({
  port: fc.constantFrom(...PORTS),
  seq: fc.nat({ max: 2 ** 40 }),
  hostTime: fc.integer({ min: 1_700_000_000_000_000, max: 2_000_000_000_000_000 }),
  bytes: fc.uint8Array({ maxLength: 300 }),
  terminator: fc.constantFrom('lf' as const, 'crlf' as const, 'cr' as const, 'none' as const),
  text: fc.string({ maxLength: 80 }),
  nonTextBytes: fc.nat({ max: 70_000 }),
  flags: fc.record({ partial: fc.boolean(), truncated: fc.boolean() }),
}).chain((l) => fc.option(fc.string({ maxLength: 40 }), { nil: undefined }).map((ansi) => (ansi === undefined ? l : { ...l, ansi })));

const statusArb: fc.Arbitrary<PortStatus> = fc.record({
  port: fc.constantFrom(...PORTS),
  state: fc.constantFrom('connected' as const, 'retrying' as const, 'gone' as const),
  hostTime: fc.integer({ min: 1_700_000_000_000_000, max: 2_000_000_000_000_000 }),
}).chain((s) => fc.option(fc.string({ maxLength: 40 }), { nil: undefined }).map((reason) => (reason === undefined ? s : { ...s, reason })));

/** What a line or status is worth comparing: bytes as plain arrays (views differ, contents must not). */
const plain = (item: IngestItem) => ('seq' in item ? { ...item, bytes: [...item.bytes] } : item);

/** Through the writer, across the thread boundary as postMessage would (structured clone with transfer), and back. */
function roundTrip(items: IngestItem[], writer: ItemBatchWriter): IngestItem[] {
  for (const item of items) writer.push(item);
  const { batch, transfer } = writer.take();
  const received = structuredClone(batch, { transfer }) as ItemBatch;
  const out: IngestItem[] = [];
  forEachItem(received, (item) => out.push(item));
  return out;
}

describe('item batches between the ingest thread and the main thread', () => {
  it('hand on every line and status, in order, unchanged', () => {
    const writer = new ItemBatchWriter(PORTS);
    fc.assert(fc.property(fc.array(fc.oneof(lineArb, statusArb), { maxLength: 60 }), (items) => {
      expect(roundTrip(items, writer).map(plain)).toEqual(items.map(plain));
      expect(writer.empty).toBe(true);
    }));
  });

  it('hand on batches bigger than the writer\'s columns (they grow), and the next batch after one', () => {
    const writer = new ItemBatchWriter(PORTS);
    fc.assert(fc.property(fc.array(fc.oneof(lineArb, statusArb), { minLength: 1100, maxLength: 2600 }), fc.array(lineArb, { maxLength: 30 }), (big, next) => {
      expect(roundTrip(big, writer).map(plain)).toEqual(big.map(plain));
      expect(roundTrip(next, writer).map(plain)).toEqual(next.map(plain));
    }), { numRuns: 8, endOnFailure: true }); // no shrinking: thousands of items would take minutes
  });

  it('refuses a line of a port it does not know', () => {
    const writer = new ItemBatchWriter(['console']);
    const line: Line = { port: 'other', seq: 0, hostTime: 1, bytes: new Uint8Array(), terminator: 'lf', text: '', nonTextBytes: 0, flags: { partial: false, truncated: false } };
    expect(() => writer.push(line)).toThrow(/unknown port "other"/);
  });
});
