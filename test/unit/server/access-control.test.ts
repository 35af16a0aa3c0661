import { describe, expect, it } from 'vitest';

import { hostAllowed, isLoopbackHost, originAllowed, splitListen, tokenMatches } from '../../../daemon/server/access-control.ts';

describe('access control', () => {
  it('counts 127.0.0.0/8, ::1 and localhost as loopback, and 0.0.0.0 or a LAN address as not', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', 'localhost', '::ffff:127.0.0.1'].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.5', 'example.com'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });

  it('splits HOST:PORT and [v6]:PORT', () => {
    expect(splitListen('127.0.0.1:7878')).toEqual({ host: '127.0.0.1', port: 7878 });
    expect(splitListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
  });

  it('accepts only an Origin of the same host and port as the request', () => {
    expect(originAllowed('http://127.0.0.1:7878', '127.0.0.1:7878')).toBe(true);
    expect(originAllowed('http://127.0.0.1:7879', '127.0.0.1:7878')).toBe(false);
    expect(originAllowed('http://evil.example', '127.0.0.1:7878')).toBe(false);
    expect(originAllowed('null', '127.0.0.1:7878')).toBe(false);
    expect(originAllowed(undefined, '127.0.0.1:7878')).toBe(true);
  });

  it('refuses a Host that is not a loopback name when listening on loopback (DNS rebinding)', () => {
    expect(hostAllowed('127.0.0.1:7878', '127.0.0.1', 7878)).toBe(true);
    expect(hostAllowed('localhost:7878', '127.0.0.1', 7878)).toBe(true);
    expect(hostAllowed('evil.example:7878', '127.0.0.1', 7878)).toBe(false);
    expect(hostAllowed('127.0.0.1:80', '127.0.0.1', 7878)).toBe(false);
    expect(hostAllowed(undefined, '127.0.0.1', 7878)).toBe(false);
    expect(hostAllowed('lab-pc.local:7878', '0.0.0.0', 7878)).toBe(true);
  });

  it('compares tokens in full', () => {
    expect(tokenMatches('abcd', 'abcd')).toBe(true);
    expect(tokenMatches('abcd', 'abce')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches('abcd', undefined)).toBe(false);
  });
});
