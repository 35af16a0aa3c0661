import { describe, expect, it } from 'vitest';
import { Harness } from './analyzer-harness.ts';

describe('hypervisor error detector', () => {
  it('raises a critical hv.error and ends the boot as halted by the hypervisor', () => {
    const h = new Harness('hypervisor');
    h.feed({ kind: 'hv.banner', message: 'Bao Hypervisor', fields: { hv: 'bao' } });
    h.feed({ kind: 'hv.log', message: 'failed to register sau entry', fields: { hv: 'bao', hvLevel: 'ERROR' } });
    h.end();
    const [ev] = h.events('hv.error');
    expect(ev?.severity).toBe('critical');
    expect(ev?.title).toBe('Hypervisor error: failed to register sau entry (the hypervisor halts)');
    expect(ev?.hint).toContain('PLAT_MAX_MPU_REGIONS');
    expect(h.boots()[0]?.endReason).toBe('hv.error');
  });

  it('does not raise on hypervisor INFO or WARNING', () => {
    const h = new Harness('hypervisor');
    h.feed({ kind: 'hv.log', message: 'console base must be page aligned', fields: { hv: 'bao', hvLevel: 'WARNING' } });
    expect(h.events('hv.error')).toHaveLength(0);
  });
});
