import { describe, expect, it } from 'vitest';
import { Harness } from './analyzer-harness.ts';

describe('dropped-messages detector', () => {
  it('reports how many log messages Zephyr dropped', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.dropped', message: '--- 12 messages dropped ---', fields: { count: 12 } });
    const [ev] = h.events('log.dropped');
    expect(ev?.severity).toBe('warning');
    expect(ev?.title).toBe('Zephyr dropped 12 log messages');
    expect(ev?.attrs['count']).toBe(12);
  });
});
