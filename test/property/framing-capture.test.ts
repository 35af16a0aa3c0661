import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureLineMaxBytes, decodeCaptureLine, encodeCaptureLine, encodeCaptureLineInto } from '../../daemon/capture/capture-codec.ts';
import type { Line } from '../../daemon/core/line.ts';
import { LineFramer } from '../../daemon/framing/line-framer.ts';

/** Frames `bytes` delivered as the given chunks; flushes at the end as an idle timeout would. */
function frame(bytes: Uint8Array, cuts: number[], maxLineBytes: number): Line[] {
  const lines: Line[] = [];
  const f = new LineFramer({ port: 'p', baud: 115200, maxLineBytes, firstSeq: 0, onLine: (l) => lines.push(l) });
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    f.push(bytes.subarray(start, cut), 1_000_000 + cut);
    start = cut;
  }
  f.flushIdle();
  return lines;
}

// Streams rich in the bytes that matter: CR, LF, ESC, NUL, backslash, high bytes.
const streamArb = fc.array(fc.oneof(fc.constantFrom(0x0d, 0x0a, 0x1b, 0x00, 0x5c, 0xff, 0xc3, 0xa9), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0x20, max: 0x7e })), { maxLength: 600 })
  .map((a) => Uint8Array.from(a));
const withCuts = streamArb.chain((bytes) =>
  fc.tuple(fc.constant(bytes), fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, bytes.length) }), { maxLength: 20 }).map((c) => c.sort((a, b) => a - b)), fc.integer({ min: 1, max: 64 })));

describe('framing and capture, for any byte stream', () => {
  it('gives the same lines however the stream is split into chunks', () => {
    fc.assert(fc.property(withCuts, ([bytes, cuts, max]) => {
      const whole = frame(bytes, [], max);
      const split = frame(bytes, cuts, max);
      const view = (ls: Line[]) => ls.map((l) => [Buffer.from(l.bytes).toString('hex'), l.terminator, l.text, l.flags.truncated]);
      expect(view(split)).toEqual(view(whole));
    }), { numRuns: 400 });
  });

  it('loses no byte: the lines put together are the stream', () => {
    fc.assert(fc.property(withCuts, ([bytes, cuts, max]) => {
      const lines = frame(bytes, cuts, max);
      expect(Buffer.from(Buffer.concat(lines.map((l) => l.bytes)))).toEqual(Buffer.from(bytes));
    }), { numRuns: 400 });
  });

  it('decoding the capture gives back exactly the bytes received', () => {
    fc.assert(fc.property(withCuts, ([bytes, cuts, max]) => {
      const lines = frame(bytes, cuts, max);
      const file = lines.map(encodeCaptureLine).join('');
      // One file line per received line, whatever bytes the device sent.
      expect(file.split('\n').length - 1).toBe(lines.length);
      const decoded = file.split('\n').filter(Boolean).map((t) => decodeCaptureLine(t));
      const back = Buffer.concat(decoded.map((e) => {
        if (e?.kind !== 'line') throw new Error('not a line entry');
        return Buffer.from(e.bytes);
      }));
      expect(back).toEqual(Buffer.from(bytes));
    }), { numRuns: 400 });
  });

  // The capture writer encodes straight into its buffer; the file must be the same bytes as the
  // string encoder's, for any line, at any host time and seq (sub-µs times included).
  const stampArb = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000_000 }), fc.double({ min: 0, max: 4e15, noNaN: true }));
  it('the capture writer\'s byte encoder writes exactly what the string encoder gives', () => {
    fc.assert(fc.property(withCuts, stampArb, fc.integer({ min: 0, max: 2 ** 53 - 1 }), ([bytes, cuts, max], hostTime, seq) => {
      for (const framed of frame(bytes, cuts, max)) {
        const line: Line = { ...framed, hostTime, seq };
        const out = Buffer.alloc(captureLineMaxBytes(line) + 8, 0xee);
        const end = encodeCaptureLineInto(line, out, 3);
        expect(end).toBeLessThanOrEqual(3 + captureLineMaxBytes(line));
        expect(out.subarray(3, end).toString('hex')).toBe(Buffer.from(encodeCaptureLine(line), 'utf8').toString('hex'));
        expect(out[end]).toBe(0xee);
      }
    }), { numRuns: 400 });
  });
});
