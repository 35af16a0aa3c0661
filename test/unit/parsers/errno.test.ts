import { describe, expect, it } from 'vitest';
import { errnoMeaning, errnoName } from '../../../parsers/errno.ts';

describe('errnoName', () => {
  it('uses newlib numbering for negative and positive values, never Linux', () => {
    expect(errnoName(-116)).toBe('ETIMEDOUT');
    expect(errnoName(-115)).toBe('ENETDOWN');
    expect(errnoName(-11)).toBe('EAGAIN');
    expect(errnoName(-5)).toBe('EIO');
    expect(errnoName(116)).toBe('ETIMEDOUT');
    expect(errnoName(110)).toBe('ESHUTDOWN');
    expect(errnoName(119)).toBe('EINPROGRESS');
  });

  it('gives an E?<n> name for unknown numbers and E? for missing ones', () => {
    expect(errnoName(-999)).toBe('E?999');
    expect(errnoName(100)).toBe('E?100');
    expect(errnoName(null)).toBe('E?');
    expect(errnoName(undefined)).toBe('E?');
    expect(errnoName(Number.NaN)).toBe('E?');
  });

  it('explains the errnos of the Wi-Fi bring-up', () => {
    expect(errnoMeaning(-115)).toContain('interface is down');
    expect(errnoMeaning(-4242)).toBeUndefined();
  });
});
