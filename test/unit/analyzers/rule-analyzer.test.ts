import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../daemon/config/schema.ts';
import { Harness } from './analyzer-harness.ts';

describe('rule analyzer', () => {
  it('turns a matching message into an event whose named groups are attributes', () => {
    const h = new Harness('zephyr', { rules: [{ name: 'sensor', pattern: 'sensor (?<id>\\d+) timeout after (?<ms>\\d+) ms', kind: 'app.sensor_timeout', severity: 'warning', hint: 'check the I2C bus' }] });
    h.feed({ kind: 'zephyr.log', text: '[00:00:01.000,000] <wrn> app: sensor 3 timeout after 250 ms', message: 'sensor 3 timeout after 250 ms' });
    const [ev] = h.events('app.sensor_timeout');
    expect(ev?.severity).toBe('warning');
    expect(ev?.attrs).toMatchObject({ rule: 'sensor', id: '3', ms: '250' });
    expect(ev?.hint).toBe('check the I2C bus');
  });

  it('falls back to the line text when the message does not match', () => {
    const h = new Harness('zephyr', { rules: [{ name: 'tagged', pattern: '^\\[00:00', kind: 'app.tagged' }] });
    h.feed({ kind: 'zephyr.log', text: '[00:00:01.000,000] <inf> app: x', message: 'x' });
    expect(h.events('app.tagged')).toHaveLength(1);
  });

  it('applies a rule only to its port and marks milestones', () => {
    const rules = [{ name: 'app_up', pattern: 'app up', kind: 'app.up', port: 'console', milestone: true }];
    const other = new Harness('zephyr', { rules }, 'other');
    other.feed({ text: 'app up' });
    expect(other.events('app.up')).toHaveLength(0);
    const h = new Harness('zephyr', { rules });
    h.feed({ text: 'app up' });
    expect(h.events('app.up')).toHaveLength(1);
    expect(h.boots()[0]?.milestones.map((m) => m.name)).toEqual(['app_up']);
  });

  it('rejects a rule whose pattern is not a regular expression, naming the key', () => {
    const r = configSchema.safeParse({ rules: [{ name: 'bad', pattern: '(', kind: 'app.bad' }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['rules', 0, 'pattern']);
  });

  it('rejects unknown keys in a rule', () => {
    expect(configSchema.safeParse({ rules: [{ name: 'a', pattern: 'a', kind: 'app.a', colour: 'red' }] }).success).toBe(false);
  });
});
