import { describe, expect, it } from 'vitest';

import { alertsSchema } from '../../../daemon/config/sections/alerts.ts';
import { storeSchema } from '../../../daemon/config/sections/store.ts';

describe('alerts and store config sections', () => {
  it('default to no alert rules and a store with 30 days of retention', () => {
    expect(alertsSchema.parse(undefined)).toEqual([]);
    expect(storeSchema.parse(undefined)).toMatchObject({ enabled: true, file: 'uartscope.db', retention_days: 30, drift_interval_secs: 10 });
  });

  it('fills each action with its defaults and a rule with a terminal action', () => {
    const [r] = alertsSchema.parse([
      { name: 'a', kinds: ['fault'] },
      { name: 'b', kinds: ['fault'], actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/hook' }, { type: 'command', argv: ['logger', 'uartscope'] }] },
    ]);
    expect(r).toMatchObject({ cooldown_secs: 300, actions: [{ type: 'terminal' }] });
    const b = alertsSchema.parse([{ name: 'b', kinds: ['fault'], actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/hook' }] }])[0];
    expect(b?.actions[0]).toEqual({ type: 'webhook', url: 'http://127.0.0.1:9/hook', timeout_ms: 5000, retries: 5, backoff_initial_ms: 500, backoff_max_ms: 30_000, queue_capacity: 256 });
  });

  it('rejects unknown keys, a bad pattern, a non-http webhook and a command given as one shell string, naming the key', () => {
    const paths = (v: unknown): string[] => {
      const r = alertsSchema.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths([{ name: 'a', kinds: ['fault'], colour: 'red' }])).toEqual(['0']);
    expect(paths([{ name: 'a', kinds: ['fault'], pattern: '(' }])).toEqual(['0.pattern']);
    expect(paths([{ name: 'a', kinds: ['fault'], actions: [{ type: 'webhook', url: 'file:///etc/passwd' }] }])).toEqual(['0.actions.0.url']);
    expect(paths([{ name: 'a', kinds: ['fault'], actions: [{ type: 'command', argv: 'notify-send x' }] }])).toEqual(['0.actions.0.argv']);
    expect(paths([{ name: 'a', kinds: [] }])).toEqual(['0.kinds']);
    expect(storeSchema.safeParse({ retention: 3 }).success).toBe(false);
  });
});
