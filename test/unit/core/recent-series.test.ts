import { describe, expect, it } from 'vitest';
import { RecentSeries } from '../../../daemon/core/recent-series.ts';

const s = (boot: string, source: string) => ({ boot, source });

describe('RecentSeries', () => {
  it('finds what was remembered by port, boot and source, and nothing else', () => {
    const r = new RecentSeries<{ boot: string; source: string }>();
    const log = s('b1', 'log');
    const uptime = s('b1', 'uptime');
    r.remember('console', log);
    r.remember('console', uptime);
    expect(r.find('console', 'b1', 'log')).toBe(log);
    expect(r.find('console', 'b1', 'uptime')).toBe(uptime);
    expect(r.find('esp', 'b1', 'log')).toBeUndefined();
    expect(r.find('console', 'b2', 'log')).toBeUndefined();
  });

  it('drops a port\'s older boots when a new boot is remembered, and everything on forget', () => {
    const r = new RecentSeries<{ boot: string; source: string }>();
    r.remember('console', s('b1', 'log'));
    const next = s('b2', 'log');
    r.remember('console', next);
    expect(r.find('console', 'b1', 'log')).toBeUndefined();
    expect(r.find('console', 'b2', 'log')).toBe(next);
    r.forget('console');
    expect(r.find('console', 'b2', 'log')).toBeUndefined();
  });
});
