import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../daemon/config/load-config.ts';
import { startDaemon } from '../../../daemon/daemon.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const PASSWORD = 'uc1,Hotspot!7';

/** A LOG_HEXDUMP_DBG as Zephyr's log_output.c prints it (formats.md §1.7): 16 bytes a line, then |ascii. */
function hexdump(prefix: string, label: string, data: string): string {
  const head = `${prefix}${label}\r\n`;
  const indent = ' '.repeat(prefix.length);
  let out = head;
  const bytes = Buffer.from(data);
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = [...bytes.subarray(i, i + 16)];
    const hex = chunk.map((b, k) => `${b.toString(16).padStart(2, '0')} ${k === 7 ? ' ' : ''}`).join('').padEnd(49, ' ');
    const ascii = chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    out += `${indent}${hex}|${ascii}\r\n`;
  }
  return out;
}

describe('a password spread over the lines of a hexdump', () => {
  it('never leaves the live pipeline: the lines are published redacted', async () => {
    const dir = tempDir();
    const file = join(dir, 'verbose-modem.log');
    writeFileSync(file, [
      '[00:00:01.000,000] <inf> main: connecting\r\n',
      hexdump('[00:00:01.001,000] <dbg> modem_cmd_handler: ', 'SENT DATA', `AT+CWJAP="rpi3-hotspot","${PASSWORD}"`),
      '[00:00:01.002,000] <inf> main: sent\r\n',
    ].join(''));
    const daemon = await startDaemon({ config: parseConfig({ ports: [{ name: 'console', source: `replay:${file}?speed=max`, role: 'zephyr' }] }), dataDir: join(dir, 'data') });
    const messages: BusMessage[] = [];
    daemon.bus.messages$.subscribe((m) => messages.push(m));
    await daemon.sourcesDone;
    await daemon.stop();
    const lines = messages.flatMap((m) => (m.type === 'line' ? [m.line] : []));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const everything = JSON.stringify(messages, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    const pwHex = Buffer.from(PASSWORD).toString('hex').match(/../g)!.join(' ');
    expect(everything).not.toContain('Hotspot');
    expect(everything).not.toContain(pwHex.slice(0, 20));
    expect(lines.some((l) => l.text.includes('[redacted]'))).toBe(true);
    // The lines around the dump are untouched.
    expect(lines.map((l) => l.text)).toContain('[00:00:01.002,000] <inf> main: sent');
  });
});
