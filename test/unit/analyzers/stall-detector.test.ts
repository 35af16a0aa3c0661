import { describe, expect, it } from 'vitest';
import { Harness, T0 } from './analyzer-harness.ts';

const banner = { kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } };

describe('stall detector', () => {
  it('raises stall when a booted port is silent too long before its last milestone, and clears on the next line', () => {
    const h = new Harness('zephyr', { analyzers: { stall_silence_ms: 5000 } });
    h.feed({ ...banner, hostMs: 0 });
    h.feed({ kind: 'wifi.connecting', message: 'Connecting to Wi-Fi network lab...', fields: { ssid: 'lab' }, hostMs: 100 });
    h.analysis.onTick(T0 + 4_000_000);
    expect(h.events('stall')).toHaveLength(0);
    h.analysis.onTick(T0 + 6_000_000);
    h.analysis.onTick(T0 + 7_000_000);
    let ev = h.events('stall');
    expect(ev).toHaveLength(1);
    expect(ev[0]?.state).toBe('raised');
    expect(ev[0]?.title).toBe('console silent for 6 s before reaching esp.ready');
    expect(ev[0]?.lines).toEqual({ port: 'console', first: 1, last: 1 });
    h.feed({ text: 'back', hostMs: 8000 });
    ev = h.events('stall');
    expect(ev.map((e) => e.state)).toEqual(['raised', 'cleared']);
  });

  it('does not raise once the last expected milestone was reached', () => {
    const h = new Harness('zephyr', { analyzers: { stall_silence_ms: 1000 } });
    h.feed({ ...banner, hostMs: 0 });
    h.analysis.onTick(T0 + 60_000_000);
    expect(h.events('stall')).toHaveLength(0);
  });

  it('waits for rule milestones too', () => {
    const h = new Harness('zephyr', { analyzers: { stall_silence_ms: 1000 }, rules: [{ name: 'app_up', pattern: 'app up', kind: 'app.up', milestone: true }] });
    h.feed({ ...banner, hostMs: 0 });
    h.analysis.onTick(T0 + 2_000_000);
    expect(h.events('stall')[0]?.title).toContain('app_up');
  });

  it('does not call a halted system (after a fault) a stall', () => {
    const h = new Harness('zephyr', { analyzers: { stall_silence_ms: 1000, stall_expected_milestones: ['banner', 'never'] } });
    h.feed({ ...banner, hostMs: 0 });
    h.feed({ kind: 'zephyr.fatal', message: '>>> ZEPHYR FATAL ERROR 0', fields: { reasonCode: 0 }, hostMs: 10 });
    h.analysis.onTick(T0 + 60_000_000);
    expect(h.events('stall')).toHaveLength(0);
  });
});
