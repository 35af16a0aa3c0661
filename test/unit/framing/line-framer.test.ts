import { describe, expect, it } from 'vitest';
import type { Line } from '../../../daemon/core/line.ts';
import { LineFramer } from '../../../daemon/framing/line-framer.ts';

function framer(opts: Partial<{ baud: number; maxLineBytes: number; firstSeq: number }> = {}) {
  const lines: Line[] = [];
  const f = new LineFramer({ port: 'p', baud: opts.baud ?? 115200, maxLineBytes: opts.maxLineBytes ?? 4096, firstSeq: opts.firstSeq ?? 0, onLine: (l) => lines.push(l) });
  return { f, lines };
}
const b = (s: string) => Buffer.from(s, 'latin1');

describe('LineFramer', () => {
  it('ends lines at LF, CRLF and a lone CR, and says which', () => {
    const { f, lines } = framer();
    f.push(b('a\nb\r\nc\rd\n'), 1_000_000);
    expect(lines.map((l) => [l.text, l.terminator])).toEqual([['a', 'lf'], ['b', 'crlf'], ['c', 'cr'], ['d', 'lf']]);
  });

  it('holds a CR at the end of a chunk until the next byte decides CRLF or lone CR', () => {
    const { f, lines } = framer();
    f.push(b('one\r'), 1_000_000);
    expect(lines).toHaveLength(0);
    f.push(b('\ntwo\r'), 2_000_000);
    expect(lines.map((l) => l.terminator)).toEqual(['crlf']);
    f.push(b('x'), 3_000_000);
    expect(lines.map((l) => [l.text, l.terminator])).toEqual([['one', 'crlf'], ['two', 'cr']]);
  });

  it('stamps a line with the arrival of its first byte, back-dated by wire time inside a chunk', () => {
    const { f, lines } = framer({ baud: 10_000 }); // 1 ms per byte
    f.push(b('abc\ndef\n'), 1_000_000); // 8 bytes, the last read at t=1 s
    expect(lines.map((l) => l.hostTime)).toEqual([1_000_000 - 7_000, 1_000_000 - 3_000]);
  });

  it('keeps the first chunk\'s time for a line that spans chunks', () => {
    const { f, lines } = framer({ baud: 1_000_000 });
    f.push(b('hel'), 5_000_000);
    f.push(b('lo\n'), 9_000_000);
    expect(lines[0]!.hostTime).toBe(5_000_000 - 20);
    expect(lines[0]!.text).toBe('hello');
  });

  it('never stamps a line before the previous one', () => {
    const { f, lines } = framer({ baud: 300 });
    f.push(b('a\n'), 1_000_000);
    f.push(b('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n'), 1_000_100);
    expect(lines[1]!.hostTime).toBeGreaterThanOrEqual(lines[0]!.hostTime);
  });

  it('flushes a line without terminator as partial on idle (BAO ERROR then a halted CPU)', () => {
    const { f, lines } = framer();
    f.push(b('BAO ERROR: failed to register sau entry'), 1_000_000);
    expect(lines).toHaveLength(0);
    f.flushIdle();
    expect(lines[0]).toMatchObject({ text: 'BAO ERROR: failed to register sau entry', terminator: 'none', flags: { partial: true, truncated: false } });
  });

  it('cuts a line longer than the limit, marks the cut piece and counts it, losing no byte', () => {
    const { f, lines } = framer({ maxLineBytes: 8 });
    f.push(b('0123456789abcdefXYZ\n'), 1_000_000);
    expect(lines.map((l) => [l.text, l.flags.truncated])).toEqual([['01234567', true], ['89abcdef', true], ['XYZ', false]]);
    expect(f.counters.truncated).toBe(2);
    expect(Buffer.concat(lines.map((l) => l.bytes)).toString('latin1')).toBe('0123456789abcdefXYZ\n');
  });

  it('numbers lines without gaps from the given first seq', () => {
    const { f, lines } = framer({ firstSeq: 41 });
    f.push(b('a\nb\n\nc\n'), 1);
    expect(lines.map((l) => l.seq)).toEqual([41, 42, 43, 44]);
  });

  it('strips ANSI from the text parsers see and keeps it for display and in the bytes', () => {
    const { f, lines } = framer();
    const wire = '[00:00:12.001,000] \x1b[1;31m<err> wifi_esp_at: Failed to reset device: -116\x1b[0m\r\n';
    f.push(b(wire), 1);
    expect(lines[0]!.text).toBe('[00:00:12.001,000] <err> wifi_esp_at: Failed to reset device: -116');
    expect(lines[0]!.ansi).toContain('\x1b[1;31m');
    expect(Buffer.from(lines[0]!.bytes).toString('latin1')).toBe(wire);
  });

  it('counts bytes that are not text: NUL, control bytes and invalid UTF-8', () => {
    const { f, lines } = framer();
    f.push(Buffer.from([0x00, 0x41, 0x07, 0xff, 0xfe, 0x42, 0x0a]), 1);
    expect(lines[0]!.nonTextBytes).toBe(4);
    f.push(b('clean\ttext\n'), 2);
    expect(lines[1]!.nonTextBytes).toBe(0);
  });
});
