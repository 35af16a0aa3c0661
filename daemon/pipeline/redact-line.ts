import type { Line } from '../core/line.ts';
import { redactSecrets } from '../../parsers/redact.ts';

/**
 * The copy of a line that may leave the capture writer: `text`, `ansi` and `bytes` with
 * the `AT+CWJAP`/`AT+CWSAP` password replaced. Only the capture file keeps the exact bytes.
 */
export function redactLine(line: Line): Line {
  if (!line.text.includes('AT+CW') && !(line.ansi?.includes('AT+CW'))) return line;
  const text = redactSecrets(line.text);
  const ansi = line.ansi === undefined ? undefined : redactSecrets(line.ansi);
  const raw = redactSecrets(Buffer.from(line.bytes).toString('utf8'));
  return { ...line, text, ...(ansi !== undefined ? { ansi } : {}), bytes: Buffer.from(raw, 'utf8') };
}
