import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { boardSchema } from '../../../daemon/config/sections/board.ts';
import { driftSchema } from '../../../daemon/config/sections/drift.ts';

describe('drift and board config sections', () => {
  it('fill every drift default when the section is missing', () => {
    const d = driftSchema.parse(undefined);
    expect(d).toMatchObject({ enabled: true, tolerance_ppm: 1000, min_span_s: 2, min_samples: 8, emit_interval_ms: 1000 });
  });

  it('reject unknown keys and values without their unit range, naming the key', () => {
    const bad = driftSchema.safeParse({ tolerance: 5 });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('tolerance');
    const neg = driftSchema.safeParse({ tolerance_ppm: -1 });
    expect(neg.success).toBe(false);
    expect(neg.error?.issues[0]?.path).toEqual(['tolerance_ppm']);
    expect(boardSchema.safeParse({ timer_hz: 0 }).success).toBe(false);
    expect(boardSchema.safeParse({ vms: 1.5 }).success).toBe(false);
  });

  it('accept the LPC55S69 under CROSSCON board description', () => {
    expect(boardSchema.parse({ timer_hz: 12_000_000, configured_hz: 96_000_000, vms: 2 })).toEqual({ timer_hz: 12_000_000, configured_hz: 96_000_000, vms: 2 });
    expect(boardSchema.parse(undefined)).toEqual({});
  });

  it('describe every field', () => {
    for (const schema of [driftSchema, boardSchema]) {
      const json = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, { description?: string }> };
      const props = Object.entries(json.properties ?? {});
      expect(props.length).toBeGreaterThan(3);
      for (const [key, p] of props) expect(p.description, key).toBeTruthy();
    }
  });
});
