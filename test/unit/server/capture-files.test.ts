import { describe, expect, it } from 'vitest';

import { RedactingStream, captureDir, safeName } from '../../../daemon/server/capture-files.ts';

async function through(chunks: string[]): Promise<string> {
  const s = new RedactingStream();
  const out: Buffer[] = [];
  s.on('data', (b: Buffer | string) => out.push(Buffer.from(b)));
  const done = new Promise((ok) => s.on('end', ok));
  for (const c of chunks) s.write(Buffer.from(c));
  s.end();
  await done;
  return Buffer.concat(out).toString('utf8');
}

describe('capture files', () => {
  it('redacts an AT+CWJAP password even when the command is split across reads', async () => {
    const text = 'ready\r\nAT+CWJAP="lab","hunter2"\r\nOK\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const out = await through([text.slice(0, cut), text.slice(cut)]);
      expect(out).toBe('ready\r\nAT+CWJAP="lab","[redacted]"\r\nOK\r\n');
    }
  });

  it('does not let an unterminated password swallow the following lines', async () => {
    expect(await through(['AT+CWJAP="lab","hun\nnext "line"\n'])).toBe('AT+CWJAP="lab","[redacted]\nnext "line"\n');
  });

  it('refuses names that could leave the port folder', () => {
    expect(['..', '.', 'a/b', '../x', 'a\0b', ''].map(safeName)).toEqual([false, false, false, false, false, false]);
    expect(safeName('console-2026-11-24.log')).toBe(true);
    expect(captureDir('/data', '..')).toBeUndefined();
    expect(captureDir('/data', 'console')).toBe('/data/captures/console');
  });
});
