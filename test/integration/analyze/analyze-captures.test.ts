import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CAPTURE_HEADER_PREFIX, encodeCaptureLine, encodeMarker } from '../../../daemon/capture/capture-codec.ts';
import type { Line } from '../../../daemon/core/line.ts';
import type { AnalyzeReport } from '../../../daemon/analyze/analyze-report.ts';
import { analyze } from './analyze-harness.ts';
import { reportProblems } from './report-shape.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uartscope-captures-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0) * 1000;

function captureLine(seq: number, hostTime: number, body: Uint8Array | string): string {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const bytes = Buffer.concat([b, Buffer.of(13, 10)]);
  const line: Line = { port: 'console', seq, hostTime, bytes, terminator: 'crlf', text: '', nonTextBytes: 0, flags: { partial: false, truncated: false } };
  return encodeCaptureLine(line);
}

async function json(argv: string[]): Promise<AnalyzeReport> {
  const r = await analyze([...argv, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as AnalyzeReport;
}

describe('uartscope analyze on other captures', () => {
  it('reads a uartscope capture: seq, host times, a disconnect marker, and garbled bytes at a wrong baud rate', async () => {
    const file = join(dir, 'console.cap');
    const garbage = Uint8Array.from({ length: 40 }, (_, i) => 0x80 + ((i * 37) % 0x7f));
    const parts = [`${CAPTURE_HEADER_PREFIX} port=console\n`];
    let seq = 100;
    parts.push(captureLine(seq++, T0, '*** Booting Zephyr OS build v4.1.0 ***'));
    parts.push(captureLine(seq++, T0 + 1000, '[00:00:00.001,000] <inf> main: up'));
    parts.push(encodeMarker(T0 + 2_000_000, 'disconnected', 'EIO'));
    parts.push(encodeMarker(T0 + 5_000_000, 'connected'));
    for (let i = 0; i < 10; i++) parts.push(captureLine(seq++, T0 + 6_000_000 + i * 1000, garbage));
    writeFileSync(file, parts.join(''));
    const report = await json([file, '--port', 'console']);
    expect(reportProblems(report)).toEqual([]);
    expect(report.sources[0]).toMatchObject({ format: 'uartscope', role: 'zephyr', lines: 12 });
    expect(report.boots[0]).toMatchObject({ firstSeq: 100, hostStart: T0, version: 'v4.1.0' });
    const kinds = report.events.map((e) => e.kind);
    expect(kinds).toContain('port.disconnected');
    expect(kinds).toContain('port.reconnected');
    const garbled = report.events.filter((e) => e.kind === 'port.garbled');
    expect(garbled).toHaveLength(1);
    expect(garbled[0]?.lines.first).toBe(102);
  });

  it('applies the rules of --config and reports a stall at a gap in a timestamped capture', async () => {
    const cfg = join(dir, 'uartscope.yaml');
    writeFileSync(cfg, ['rules:', '  - name: sensor', '    pattern: "sensor (?<id>\\\\d+) timeout"', '    kind: app.sensor_timeout', '    severity: warning', 'analyzers:', '  stall_silence_ms: 5000', ''].join('\n'));
    const file = join(dir, 'board.tio.log');
    writeFileSync(
      file,
      [
        '[2026-11-24 12:00:00.000] *** Booting Zephyr OS build v4.1.0 ***',
        '[2026-11-24 12:00:00.100] [00:00:00.100,000] <wrn> app: sensor 7 timeout',
        '[2026-11-24 12:00:00.200] [00:00:00.200,000] <inf> MAIN: Connecting to Wi-Fi network lab...',
        '[2026-11-24 12:00:30.000] [00:00:30.000,000] <inf> MAIN: still trying',
        '',
      ].join('\n'),
    );
    const report = await json([file, '--config', cfg]);
    const rule = report.events.find((e) => e.kind === 'app.sensor_timeout');
    expect(rule?.attrs).toMatchObject({ id: '7', rule: 'sensor' });
    expect(rule?.severity).toBe('warning');
    const stall = report.events.filter((e) => e.kind === 'stall');
    expect(stall.map((e) => e.state)).toEqual(['raised', 'cleared']);
    expect(stall[0]?.title).toContain('before reaching esp.ready');
  });

  it('treats several files given one --port as one port: rotated captures of one run', async () => {
    const a = join(dir, 'part1.log');
    const b = join(dir, 'part2.log');
    writeFileSync(a, '*** Booting Zephyr OS build v1 ***\n[00:00:01.000,000] <inf> main: a\n');
    writeFileSync(b, '[00:00:02.000,000] <inf> main: b\n*** Booting Zephyr OS build v1 ***\n');
    const report = await json([a, b, '--port', 'console']);
    expect(report.boots.map((x) => [x.port, x.index, x.endReason])).toEqual([
      ['console', 0, 'reboot'],
      ['console', 1, 'end'],
    ]);
    expect(report.events.filter((e) => e.kind === 'reboot')).toHaveLength(1);
  });

  it('guesses the ESP-AT role of a module UART capture and honours --role', async () => {
    const file = join(dir, 'esp.log');
    writeFileSync(file, ['AT+RST', 'OK', 'ready', 'AT+CWJAP="lab","[redacted]"', '+CWJAP:3', 'ERROR', ''].join('\r\n'));
    let report = await json([file]);
    expect(report.sources[0]?.role).toBe('esp-at');
    expect(report.events.find((e) => e.kind === 'wifi.connect_failed')?.hint).toContain('AP was not found');
    report = await json([file, '--role', 'text']);
    expect(report.sources[0]?.role).toBe('text');
  });

  it('draws a progress bar on stderr only when it is a terminal', async () => {
    const file = join(dir, 'p.log');
    writeFileSync(file, 'hello\n'.repeat(1000));
    const tty = await analyze([file, '--json'], { stderrIsTTY: true });
    expect(tty.stderr).toContain('100% of 0.0 MB');
    const pipe = await analyze([file, '--json']);
    expect(pipe.stderr).toBe('');
  });
});
