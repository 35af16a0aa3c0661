import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLineParser } from '../../parsers/create-line-parser.ts';
import { redactSecrets } from '../../parsers/redact.ts';
import { createCaptureReader } from '../../parsers/capture-formats/create-capture-reader.ts';
import { detectCaptureFormat } from '../../parsers/capture-formats/detect-capture-format.ts';
import { CAPTURE_FORMATS } from '../../parsers/capture-formats/capture-line.ts';
import { PORT_ROLES } from '../../daemon/core/port-role.ts';
import type { ParsedRecord } from '../../daemon/core/parsed-record.ts';
import { makeLine } from '../unit/parsers/make-line.ts';

// Fragments of real line shapes, so random strings also reach deep branches.
const fragment = fc.constantFrom(
  '[00:00:01.000,000] ', '<err> ', '<inf> ', '<dbg> ', 'os: ', 'wifi_esp_at: ', '***** ', ' *****', '>>> ZEPHYR FATAL ERROR ',
  'BAO ERROR: ', 'CROSSCONHYP INFO: ', 'AT+CWJAP="', '","', '"', '\\', ',', 'OK', 'ERROR', 'ready', 'uart:~$ ', '\t',
  '                 ', '73 65 ', '|', 'ASSERTION FAIL [', '] @ ', ':12', 'Uptime: ', ' ms', '--- 3 messages dropped ---',
  '   _____ _____   ____   _____ _____  _____ ____  _   _', '         |___/|_| 14:02:11', 'Halting system', '[', ']', ' ',
);
const lineText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(fragment, { maxLength: 12 }).map((a) => a.join('')),
  fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder('utf-8', { fatal: false }).decode(b)),
);

function runParser(role: (typeof PORT_ROLES)[number], texts: string[]): ParsedRecord[] {
  const p = createLineParser({ role });
  const out: ParsedRecord[] = [];
  texts.forEach((t, i) => out.push(...p.push(makeLine(t, i))));
  out.push(...p.flush());
  return out;
}

describe('parsers are total', () => {
  it('never throw on arbitrary strings and bytes, and account for every line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PORT_ROLES), fc.array(lineText, { maxLength: 30 }), (role, texts) => {
        const records = runParser(role, texts);
        // Every line belongs to at least one record's [line.seq, lastSeq] range, or was
        // absorbed into an AT command (echo / ERR CODE), which also has a range covering it.
        const covered = new Set<number>();
        for (const r of records) {
          expect(r.lastSeq).toBeGreaterThanOrEqual(r.line.seq);
          expect(typeof r.kind).toBe('string');
          expect(typeof r.message).toBe('string');
          expect(r.fields['parseError']).toBeUndefined();
          for (let s = r.line.seq; s <= r.lastSeq; s++) covered.add(s);
        }
        for (let i = 0; i < texts.length; i++) expect(covered.has(i)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('capture readers and detection never throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CAPTURE_FORMATS), fc.array(lineText, { maxLength: 10 }), (format, lines) => {
        const read = createCaptureReader(format);
        for (const l of lines) {
          const r = read(l);
          if (r !== null) expect(typeof r.text).toBe('string');
        }
        expect(CAPTURE_FORMATS).toContain(detectCaptureFormat(lines));
      }),
      { numRuns: 300 },
    );
  });
});

// The driver escapes `,`, `\` and `"` with a backslash when it builds AT+CWJAP (formats.md §3.4).
const escapeAt = (s: string) => s.replace(/[\\",]/g, (c) => `\\${c}`);
const secretChars = fc.string({ minLength: 1, maxLength: 24, unit: fc.constantFrom('a', 'Z', '9', '"', '\\', ',', ' ', 'é', '!', "'") });
// A sentinel that the ssid and surrounding text never contain, so "the password appears"
// cannot be a coincidence of the ssid holding the same characters.
const SENTINEL = 'Ω';

function withoutLine(records: ParsedRecord[]): string {
  return JSON.stringify(records.map((r) => ({ ...r, line: r.line.seq })));
}

describe('redaction', () => {
  it('hides any password of AT+CWJAP/AT+CWSAP in the text and in every record', () => {
    fc.assert(
      fc.property(
        secretChars, secretChars, fc.constantFrom('AT+CWJAP', 'AT+CWJAP_CUR', 'AT+CWJAP_DEF', 'AT+CWSAP', 'AT+CWSAP_DEF'),
        fc.constantFrom('', ',5,3', ',"aa:bb:cc:dd:ee:ff"'),
        fc.constantFrom<(cmd: string) => string>(
          (c) => c,
          (c) => `[00:00:03.767,000] <err> modem_cmd_handler: command ${c} ret:-116`,
          (c) => `[00:00:03.767,000] <dbg> modem_cmd_handler: sending ${c}`,
        ),
        fc.constantFrom(...PORT_ROLES),
        (ssid, pwBody, cmdName, tail, wrap, role) => {
          const password = `${pwBody}${SENTINEL}${pwBody}`;
          const cmd = `${cmdName}="${escapeAt(ssid)}","${escapeAt(password)}"${tail}`;
          const text = wrap(cmd);
          const redacted = redactSecrets(text);
          expect(redacted).toBe(wrap(`${cmdName}="${escapeAt(ssid)}","[redacted]"${tail}`));
          expect(redacted).not.toContain(SENTINEL);
          const records = runParser(role, [text, 'OK', text, text]);
          expect(withoutLine(records)).not.toContain(SENTINEL);
        },
      ),
      { numRuns: 500 },
    );
  });
});
