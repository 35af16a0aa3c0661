import { describe, expect, it } from 'vitest';
import { decodeCaptureLine, encodeCaptureLine, encodeMarker, escapeBytes } from '../../../daemon/capture/capture-codec.ts';
import type { Line } from '../../../daemon/core/line.ts';

const line = (bytes: Buffer, terminator: Line['terminator']): Line => ({
  port: 'console', seq: 42, hostTime: Date.UTC(2026, 10, 24, 23, 58, 20) * 1000 + 123456, bytes, terminator,
  text: '', nonTextBytes: 0, flags: { partial: false, truncated: false },
});

describe('capture codec', () => {
  it('writes host time in ISO 8601 UTC with µs, the seq, the terminator and the text', () => {
    const enc = encodeCaptureLine(line(Buffer.from('*** Booting Zephyr OS build v4.1.0 ***\r\n'), 'crlf'));
    expect(enc).toBe('2026-11-24T23:58:20.123456Z 42 crlf *** Booting Zephyr OS build v4.1.0 ***\n');
  });

  it('escapes control bytes, backslashes and invalid UTF-8 but keeps valid UTF-8 readable', () => {
    expect(escapeBytes(Buffer.from('a\\b\x1b[0m\x00\t'))).toBe('a\\\\b\\e[0m\\0\\t');
    expect(escapeBytes(Buffer.from([0x41, 0xff, 0xc3]))).toBe('A\\xff\\xc3');
    expect(escapeBytes(Buffer.from('µs ✓'))).toBe('µs ✓');
  });

  it('decodes a line back to exactly the bytes received, terminator included', () => {
    const bytes = Buffer.from([0x41, 0x1b, 0x5b, 0x30, 0x6d, 0x00, 0xff, 0x5c, 0x0d, 0x0a]);
    const entry = decodeCaptureLine(encodeCaptureLine(line(bytes, 'crlf')).trimEnd());
    expect(entry).toMatchObject({ kind: 'line', seq: 42, terminator: 'crlf' });
    expect(Buffer.from((entry as { bytes: Uint8Array }).bytes)).toEqual(bytes);
  });

  it('reads markers and skips the header', () => {
    expect(decodeCaptureLine('# uartscope capture v1 port=console')).toBeNull();
    const m = decodeCaptureLine(encodeMarker(1_700_000_000_000_000, 'disconnected', 'port console: gone\r').trimEnd());
    expect(m).toEqual({ kind: 'marker', hostTime: 1_700_000_000_000_000, marker: 'disconnected', detail: 'port console: gone\r' });
  });

  it('returns null for lines that are not capture lines', () => {
    expect(decodeCaptureLine('hello world')).toBeNull();
    expect(decodeCaptureLine('2026-11-24T23:58:20.123456Z x lf y')).toBeNull();
    expect(decodeCaptureLine('2026-11-24T23:58:20.123456Z 1 weird y')).toBeNull();
  });
});
