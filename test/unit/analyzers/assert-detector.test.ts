import { describe, expect, it } from 'vitest';
import { Harness } from './analyzer-harness.ts';

describe('assert detector', () => {
  it('turns an assertion failure into a critical event with expression and location', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.assert', message: 'ASSERTION FAIL [buf != NULL] @ buf.c:123', extraLines: 1, fields: { expr: 'buf != NULL', file: 'buf.c', lineNo: 123, detail: 'buffer is NULL' } });
    const [ev] = h.events('assert');
    expect(ev?.severity).toBe('critical');
    expect(ev?.title).toBe('Assertion failed: buf != NULL @ buf.c:123 (buffer is NULL)');
    expect(ev?.lines.last).toBe(1);
  });
});
