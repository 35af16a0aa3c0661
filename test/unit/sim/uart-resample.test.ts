import { describe, expect, it } from 'vitest';
import { resampleUart } from '../../../daemon/sim/uart-resample.ts';
import { ESP_ROM_TEXT, espRomNoise } from '../../../daemon/sim/esp-rom-noise.ts';
import { printableShare } from './script-lines.ts';

describe('resampleUart', () => {
  it('passes bytes through unchanged when both ends use the same baud rate', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...resampleUart(bytes, 115200, 115200)]).toEqual([...bytes]);
  });

  it('turns the 74880-baud ESP ROM text into mostly non-ASCII bytes at 115200', () => {
    const noise = espRomNoise(115200);
    expect(noise.length).toBeGreaterThan(ESP_ROM_TEXT.length / 2);
    expect(printableShare(noise)).toBeLessThan(0.5);
    expect(Buffer.from(noise).toString('latin1')).not.toContain('ets Jan');
  });

  it('gives nothing for nothing', () => {
    expect(resampleUart(new Uint8Array(0), 74880, 115200)).toHaveLength(0);
  });
});
