import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureWriter } from '../../../daemon/capture/capture-writer.ts';
import type { Line } from '../../../daemon/core/line.ts';
import { captureLines, readCapture } from '../../helpers/read-capture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const line = (seq: number, hostTime: number, text = `line ${seq} ${'x'.repeat(60)}`): Line => ({
  port: 'console', seq, hostTime, bytes: Buffer.from(`${text}\r\n`), terminator: 'crlf', text, nonTextBytes: 0, flags: { partial: false, truncated: false },
});

describe('CaptureWriter', () => {
  it('rotates by size and keeps every line, in order, across the files', () => {
    const dir = tempDir();
    const w = new CaptureWriter({ dataDir: dir, maxFileBytes: 4096, flushIntervalMs: 100 });
    const t0 = Date.UTC(2026, 10, 24, 12) * 1000;
    for (let i = 0; i < 300; i++) { w.writeLine(line(i, t0 + i)); if (i % 10 === 0) w.flush(); }
    w.close();
    const files = readdirSync(join(dir, 'captures', 'console'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(statSync(join(dir, 'captures', 'console', f)).size).toBeLessThan(4096 + 1024);
    expect(captureLines(readCapture(dir, 'console')).map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('starts a new file at UTC midnight', () => {
    const dir = tempDir();
    const w = new CaptureWriter({ dataDir: dir, maxFileBytes: 1 << 30, flushIntervalMs: 100 });
    const beforeMidnight = Date.UTC(2026, 10, 24, 23, 59, 59) * 1000;
    w.writeLine(line(0, beforeMidnight));
    w.writeLine(line(1, beforeMidnight + 2_000_000));
    w.close();
    const files = readdirSync(join(dir, 'captures', 'console')).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toContain('20261124T');
    expect(files[1]).toContain('20261125T');
  });

  it('writes files only the owner can read: they hold the exact bytes, passwords included', () => {
    const dir = tempDir();
    const w = new CaptureWriter({ dataDir: dir, maxFileBytes: 1 << 20, flushIntervalMs: 100 });
    w.writeLine(line(0, Date.now() * 1000, 'AT+CWJAP="ssid","secret"'));
    w.close();
    const [f] = readdirSync(join(dir, 'captures', 'console'));
    expect(statSync(join(dir, 'captures', 'console', f!)).mode & 0o777).toBe(0o600);
  });

  it('continues seq from the newest file of an earlier run', () => {
    const dir = tempDir();
    const w = new CaptureWriter({ dataDir: dir, maxFileBytes: 1 << 20, flushIntervalMs: 100 });
    for (let i = 0; i < 7; i++) w.writeLine(line(i, Date.now() * 1000));
    w.close();
    expect(new CaptureWriter({ dataDir: dir, maxFileBytes: 1 << 20, flushIntervalMs: 100 }).nextSeq('console')).toBe(7);
    expect(new CaptureWriter({ dataDir: dir, maxFileBytes: 1 << 20, flushIntervalMs: 100 }).nextSeq('other')).toBe(0);
  });
});
