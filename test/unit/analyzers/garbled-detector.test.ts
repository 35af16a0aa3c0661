import { describe, expect, it } from 'vitest';
import { Harness } from './analyzer-harness.ts';

const NOISE = '\uFFFD'.repeat(30);

describe('garbled-line detector', () => {
  it('raises port.garbled once for a stream of non-text bytes and clears it when clean again', () => {
    const h = new Harness('zephyr', { analyzers: { garbled_window_lines: 4, esp_boot_noise_lines: 2 } });
    h.feed({ text: 'clean' });
    for (let i = 0; i < 10; i++) h.feed({ text: NOISE, nonTextBytes: 30 });
    let ev = h.events('port.garbled');
    expect(ev).toHaveLength(1);
    expect(ev[0]?.state).toBe('raised');
    expect(ev[0]?.severity).toBe('warning');
    expect(ev[0]?.lines.first).toBe(1);
    for (let i = 0; i < 6; i++) h.feed({ text: 'a perfectly readable line' });
    ev = h.events('port.garbled');
    expect(ev.map((e) => e.state)).toEqual(['raised', 'cleared']);
  });

  it('excuses non-text bytes just before an ESP `ready` as boot-ROM noise (formats §5.4)', () => {
    const h = new Harness('esp-at', { analyzers: { garbled_window_lines: 4, esp_boot_noise_lines: 3 } }, 'esp');
    h.feed({ text: NOISE, nonTextBytes: 30 });
    h.feed({ text: NOISE, nonTextBytes: 30 });
    h.feed({ kind: 'esp-at.ready', text: 'ready' });
    h.feed({ text: 'OK' });
    h.end();
    expect(h.events('port.garbled')).toHaveLength(0);
  });

  it('raises at the end of input when the grace lines did not run out', () => {
    const h = new Harness('zephyr', { analyzers: { garbled_window_lines: 4, esp_boot_noise_lines: 10 } });
    h.feed({ text: NOISE, nonTextBytes: 30 });
    expect(h.events('port.garbled')).toHaveLength(0);
    h.end();
    expect(h.events('port.garbled')).toHaveLength(1);
  });

  it('does not raise for an occasional stray byte', () => {
    const h = new Harness('zephyr', { analyzers: { esp_boot_noise_lines: 0 } });
    for (let i = 0; i < 50; i++) h.feed({ text: `line ${i} with enough text to dilute one odd byte`, nonTextBytes: i % 10 === 0 ? 1 : 0 });
    h.end();
    expect(h.events('port.garbled')).toHaveLength(0);
  });
});
