import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { LineRing } from '../../../daemon/server/line-ring.ts';
import type { WireLine } from '../../../daemon/server/protocol.ts';

const line = (seq: number): WireLine => ({ port: 'p', seq, t: seq, text: `l${seq}` });

describe('LineRing', () => {
  it('keeps the newest lines up to its capacity and finds them by seq', () => {
    const r = new LineRing(3);
    for (let s = 0; s < 5; s++) r.push(line(s));
    expect(r.size).toBe(3);
    expect([r.oldestSeq(), r.newestSeq()]).toEqual([2, 4]);
    expect(r.get(1)).toBeUndefined();
    expect(r.get(3)?.text).toBe('l3');
    expect(r.after(2).map((l) => l.seq)).toEqual([3, 4]);
    expect(r.last(2).map((l) => l.seq)).toEqual([3, 4]);
  });

  it('ignores a line whose seq is not newer than the newest (a replay after restart)', () => {
    const r = new LineRing(10);
    r.push(line(5));
    expect(r.push(line(5))).toBe(false);
    expect(r.push(line(3))).toBe(false);
    expect(r.size).toBe(1);
  });

  it('answers after(seq) with exactly the later lines it holds, also across holes and wrap-around', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 200 }), fc.integer({ min: -1, max: 400 }), (cap, steps, from) => {
        const r = new LineRing(cap);
        const all: number[] = [];
        let s = 0;
        for (const step of steps) {
          s += step;
          r.push(line(s));
          all.push(s);
        }
        const kept = all.slice(-cap);
        expect(r.after(from).map((l) => l.seq)).toEqual(kept.filter((x) => x > from));
        for (const x of kept) expect(r.get(x)?.seq).toBe(x);
      }),
    );
  });
});
