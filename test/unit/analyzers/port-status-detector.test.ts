import { describe, expect, it } from 'vitest';
import { Harness, T0 } from './analyzer-harness.ts';

describe('port status detector', () => {
  it('reports a disconnect once while retrying and a reconnect when the port is back', () => {
    const h = new Harness();
    h.analysis.onStatus({ port: 'console', state: 'connected', hostTime: T0 });
    h.feed({ text: 'hello' });
    h.analysis.onStatus({ port: 'console', state: 'retrying', hostTime: T0 + 1_000_000, reason: 'disconnected' });
    h.analysis.onStatus({ port: 'console', state: 'retrying', hostTime: T0 + 2_000_000, reason: 'ENOENT' });
    h.analysis.onStatus({ port: 'console', state: 'connected', hostTime: T0 + 3_000_000 });
    const ev = h.events().filter((e) => e.kind.startsWith('port.'));
    expect(ev.map((e) => [e.kind, e.severity])).toEqual([
      ['port.disconnected', 'warning'],
      ['port.reconnected', 'info'],
    ]);
    expect(ev[0]?.title).toBe('console disconnected (disconnected)');
  });

  it('does not call the end of a replay a disconnect', () => {
    const h = new Harness();
    h.analysis.onStatus({ port: 'console', state: 'connected', hostTime: T0 });
    h.analysis.onStatus({ port: 'console', state: 'gone', hostTime: T0 + 1, reason: 'end of file' });
    expect(h.events()).toHaveLength(0);
  });
});
