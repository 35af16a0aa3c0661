import { describe, expect, it } from 'vitest';
import { Harness } from './analyzer-harness.ts';

describe('fault detector', () => {
  it('raises one critical event per fatal dump with type, reason, PC and thread, over all its lines', () => {
    const h = new Harness();
    h.feed({
      kind: 'zephyr.fatal',
      message: '***** BUS FAULT *****',
      extraLines: 9,
      deviceMs: 5120,
      fields: { faultType: 'BUS FAULT', reasonCode: 25, reason: 'Unknown error', pc: '0x10001a30', thread: '0x20000a10', threadName: 'main', cpu: 0, details: 'Precise data bus error' },
    });
    const events = h.events('fault');
    expect(events).toHaveLength(1);
    const [ev] = events;
    expect(ev?.severity).toBe('critical');
    expect(ev?.title).toBe('BUS FAULT: reason 25 at PC 0x10001a30 in thread main');
    expect(ev?.lines).toEqual({ port: 'console', first: 0, last: 9 });
    expect(ev?.deviceTime).toBe(5_120_000);
    expect(ev?.hint).toContain('bus fault');
  });

  it('names a stack overflow and says what to raise', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.fatal', message: '>>> ZEPHYR FATAL ERROR 2: Stack overflow on CPU 0', fields: { reasonCode: 2, reason: 'Stack overflow', threadName: 'rx_thread' } });
    const [ev] = h.events('fault');
    expect(ev?.title).toBe('Fatal error: Stack overflow in thread rx_thread');
    expect(ev?.hint).toContain('stack size');
  });

  it('ignores records that are not fatal dumps', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.log', message: 'all fine', level: 'err' });
    expect(h.events('fault')).toHaveLength(0);
  });
});
