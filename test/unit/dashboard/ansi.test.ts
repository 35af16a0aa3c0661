import { describe, expect, it } from 'vitest';

import { parseAnsi } from '../../../dashboard/src/lib/ansi.ts';

describe('parseAnsi', () => {
  it('turns Zephyr colour codes into styled spans and drops the escapes', () => {
    expect(parseAnsi('\x1b[1;31m[00:00:12.001,000] <err> wifi_esp_at: Failed\x1b[0m')).toEqual([
      { text: '[00:00:12.001,000] <err> wifi_esp_at: Failed', fg: 1, bold: true },
    ]);
  });

  it('keeps plain text around coloured runs, and resets with 0, 39 and 22', () => {
    expect(parseAnsi('a\x1b[33mb\x1b[39mc\x1b[1md\x1b[22me')).toEqual([
      { text: 'a' }, { text: 'b', fg: 3 }, { text: 'c' }, { text: 'd', bold: true }, { text: 'e' },
    ]);
  });

  it('reads 256-colour and true-colour forms as hex colours', () => {
    expect(parseAnsi('\x1b[38;5;196mx\x1b[48;2;1;2;3my')).toEqual([{ text: 'x', fg: '#ff0000' }, { text: 'y', fg: '#ff0000', bg: '#010203' }]);
  });

  it('drops cursor moves, OSC titles and lone escapes without showing them', () => {
    expect(parseAnsi('\x1b[2K\x1b]0;title\x07ok\x1b[1Aend\x1b7').map((s) => s.text).join('')).toBe('okend');
  });

  it('returns markup as plain text, never interpreting it', () => {
    expect(parseAnsi('\x1b[31m<img src=x onerror=alert(1)>')).toEqual([{ text: '<img src=x onerror=alert(1)>', fg: 1 }]);
  });
});
