import { describe, expect, it } from 'vitest';
import { Harness, feedSeedResetFailure } from './analyzer-harness.ts';

const banner = (version: string, os = 'zephyr') => ({ kind: 'zephyr.banner', message: `*** Booting Zephyr OS build ${version} ***`, fields: { os, version } });

describe('boot tracker', () => {
  it('keeps driver lines that come before the banner in the same boot (formats §2.1)', () => {
    const h = new Harness();
    feedSeedResetFailure(h);
    h.end();
    const boots = h.boots();
    expect(boots).toHaveLength(1);
    expect(boots[0]?.firstSeq).toBe(0);
    expect(boots[0]?.version).toBe('v4.1.0-1219-g584f2f86f905');
    expect(boots[0]?.endReason).toBe('end');
    expect(h.events('reboot')).toHaveLength(0);
    expect(h.events('boot')).toHaveLength(1);
  });

  it('starts a boot without a banner at the first line', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.log', message: 'already running', deviceMs: 5000 });
    const boots = h.boots();
    expect(boots).toHaveLength(1);
    expect(boots[0]?.kind).toBe('unknown');
    expect(boots[0]?.banner).toBeUndefined();
    expect(h.events('boot')).toHaveLength(0);
  });

  it('treats a second banner as a reboot and ends the first boot with reason reboot', () => {
    const h = new Harness();
    h.feed(banner('v1'));
    h.feed({ kind: 'zephyr.log', message: 'work', deviceMs: 100 });
    h.feed(banner('v2'));
    h.end();
    const boots = h.boots();
    expect(boots.map((b) => [b.index, b.version, b.endReason])).toEqual([
      [0, 'v1', 'reboot'],
      [1, 'v2', 'end'],
    ]);
    const reboot = h.events('reboot');
    expect(reboot).toHaveLength(1);
    expect(reboot[0]?.boot).toBe(boots[1]?.id);
    expect(reboot[0]?.attrs['previousBoot']).toBe(boots[0]?.id);
  });

  it('treats device time going backwards as a reboot, and the banner after it joins the new boot', () => {
    const h = new Harness();
    h.feed(banner('v1'));
    h.feed({ kind: 'zephyr.log', message: 'late', deviceMs: 60_000 });
    h.feed({ kind: 'esp_at.message', message: 'DT has external_reset', deviceMs: 0 });
    h.feed(banner('v1'));
    const boots = h.boots();
    expect(boots).toHaveLength(2);
    expect(boots[1]?.firstSeq).toBe(2);
    expect(boots[1]?.banner).toContain('Booting Zephyr');
    expect(h.events('reboot')).toHaveLength(1);
    expect(h.events('reboot')[0]?.attrs['reason']).toBe('time');
  });

  it('ignores a backward step within the tolerance', () => {
    const h = new Harness('zephyr', { analyzers: { reboot_backwards_tolerance_ms: 50 } });
    h.feed({ kind: 'zephyr.log', message: 'a', deviceMs: 1000 });
    h.feed({ kind: 'zephyr.log', message: 'b', deviceMs: 990 });
    expect(h.boots()).toHaveLength(1);
  });

  it('keeps separate time sources apart: an uptime line lower than a log stamp is no reboot', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.log', message: 'a', deviceMs: 9000, source: 'log' });
    h.feed({ kind: 'uptime', message: 'Uptime: 1001 ms', deviceMs: 1001, source: 'uptime' });
    expect(h.boots()).toHaveLength(1);
  });

  it('lets a guest banner follow the hypervisor banner in one run, but a second hypervisor banner reboots', () => {
    const h = new Harness('hypervisor');
    h.feed({ kind: 'hv.banner', message: 'Bao Hypervisor', fields: { hv: 'bao' } });
    h.feed(banner('v4.1.0'));
    expect(h.boots()).toHaveLength(1);
    expect(h.boots()[0]?.version).toBe('v4.1.0');
    h.feed({ kind: 'hv.banner', message: 'Bao Hypervisor', fields: { hv: 'bao' } });
    expect(h.boots()).toHaveLength(2);
  });

  it('ends a boot that faulted with reason fault, also when the next boot starts', () => {
    const h = new Harness();
    h.feed(banner('v1'));
    h.feed({ kind: 'zephyr.fatal', message: '>>> ZEPHYR FATAL ERROR 0', fields: { reasonCode: 0 } });
    h.feed(banner('v1'));
    h.end();
    expect(h.boots().map((b) => b.endReason)).toEqual(['fault', 'end']);
  });
});
