import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createLineParser } from '../../parsers/create-line-parser.ts';
import { detectCaptureFormat } from '../../parsers/capture-formats/detect-capture-format.ts';
import { createCaptureReader } from '../../parsers/capture-formats/create-capture-reader.ts';
import { LineFramer } from '../../daemon/framing/line-framer.ts';
import { stripAnsi } from '../../daemon/framing/ansi.ts';
import type { Line } from '../../daemon/core/line.ts';
import type { ParsedRecord } from '../../daemon/core/parsed-record.ts';
import { PORT_ROLES, type PortRole } from '../../daemon/core/port-role.ts';

/**
 * Golden cases: `parsers/<case>.log` (a capture, byte for byte) → `<case>.records.jsonl`
 * (what the parsers make of it, one record per line), with `<case>.source.md` naming where
 * the capture came from and the port role (`role: zephyr`). Plain captures go through the
 * real LineFramer (CRLF/LF/lone CR, ANSI removal, idle flush of a line without terminator);
 * captures of other tools through their reader, whose host stamps become the lines' host time.
 * Expected files were generated once, read and checked by hand, and are compared exactly.
 */
const dir = fileURLToPath(new URL('./parsers/', import.meta.url));
const BASE_US = 1_800_000_000_000_000;
const cases = readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4)).sort();

function roleOf(name: string): PortRole {
  const m = /^role: (\S+)/m.exec(readFileSync(join(dir, `${name}.source.md`), 'utf8'));
  const role = m?.[1] as PortRole | undefined;
  if (role === undefined || !PORT_ROLES.includes(role)) throw new Error(`${name}.source.md names no valid role`);
  return role;
}

function linesOf(bytes: Buffer): { format: string; lines: Line[] } {
  const physical = bytes.toString('utf8').split('\n');
  if (physical.length > 0 && physical[physical.length - 1] === '') physical.pop();
  const format = detectCaptureFormat(physical.slice(0, 50));
  const lines: Line[] = [];
  if (format === 'plain') {
    const framer = new LineFramer({ port: 'golden', baud: 115200, maxLineBytes: 4096, firstSeq: 0, onLine: (l) => lines.push(l) });
    framer.push(bytes, BASE_US);
    framer.flushIdle();
    return { format, lines };
  }
  const read = createCaptureReader(format);
  let seq = 0;
  for (const p of physical) {
    const c = read(p);
    if (c === null || c.marker !== undefined) continue;
    const hostTime = c.hostTime === undefined ? BASE_US : c.hostTimeRelative === true ? BASE_US + c.hostTime : c.hostTime;
    const raw = Buffer.from(c.text, 'utf8');
    const text = stripAnsi(c.text);
    lines.push({
      port: c.port ?? 'golden', seq: seq++, hostTime, bytes: raw, terminator: 'lf', text,
      ...(text !== c.text ? { ansi: c.text } : {}), nonTextBytes: 0, flags: { partial: false, truncated: false },
    });
  }
  return { format, lines };
}

function serialise(r: ParsedRecord): string {
  return JSON.stringify({
    seq: r.line.seq, lastSeq: r.lastSeq, hostTime: r.line.hostTime, kind: r.kind, dialect: r.dialect,
    level: r.level, module: r.module, deviceTime: r.deviceTime, message: r.message, fields: r.fields,
  });
}

describe('golden captures', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    it(`${name} parses to its recorded records`, async () => {
      const { format, lines } = linesOf(readFileSync(join(dir, `${name}.log`)));
      const parser = createLineParser({ role: roleOf(name) });
      const out: string[] = [JSON.stringify({ captureFormat: format, lines: lines.length })];
      for (const l of lines) for (const r of parser.push(l)) out.push(serialise(r));
      for (const r of parser.flush()) out.push(serialise(r));
      await expect(`${out.join('\n')}\n`).toMatchFileSnapshot(join(dir, `${name}.records.jsonl`));
    });
  }
});
