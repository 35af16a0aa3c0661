import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'uartscope_token';

/** Splits `HOST:PORT` / `[v6]:PORT` (the `http.listen` form). */
export function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  let host = listen.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port: Number(listen.slice(i + 1)) };
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses no other machine can reach. 0.0.0.0 / :: are everything. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

export interface TokenResult {
  readonly token: string;
  /** True when this call generated it (the caller prints it once). */
  readonly created: boolean;
}

/**
 * The access token: 32 random bytes, hex, in `<dataDir>/token`, mode 0600 so only the
 * daemon's user can read it. Generated on first use and reused across restarts, so a
 * bookmarked URL keeps working.
 */
export function loadOrCreateToken(dataDir: string): TokenResult {
  const file = join(dataDir, 'token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{32,}$/.test(token)) return { token, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing (invalid) file keeps its old mode otherwise
  return { token, created: true };
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The token a request presents: `Authorization: Bearer`, `?token=` or the cookie, in that order. */
export function presentedToken(req: IncomingMessage, url: URL): { token?: string; via?: 'bearer' | 'query' | 'cookie' } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), via: 'bearer' };
  const q = url.searchParams.get('token');
  if (q) return { token: q, via: 'query' };
  const c = cookieValue(req, TOKEN_COOKIE);
  if (c) return { token: c, via: 'cookie' };
  return {};
}

/**
 * `Host` must name this server: on loopback only a loopback name, so a DNS-rebinding page
 * (evil.example resolving to 127.0.0.1) cannot read the API from the user's browser.
 */
export function hostAllowed(hostHeader: string | undefined, listenHost: string, port: number): boolean {
  if (!hostHeader) return false;
  let host: string;
  let hostPort: string;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!m) return false;
  host = (m[1] ?? '').replace(/^\[|\]$/g, '');
  hostPort = m[2] ?? '80';
  if (Number(hostPort) !== port) return false;
  if (isLoopbackHost(listenHost)) return isLoopbackHost(host);
  return true;
}

/**
 * A browser's WebSocket must come from the page this server served (same host:port), so another
 * site open in the same browser cannot read the logs (cross-site WebSocket hijacking, RFC 6455 §10.2).
 * Clients that send no Origin are not browsers and are let through (the token still applies).
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && hostHeader !== undefined && u.host === hostHeader.toLowerCase();
  } catch {
    return false;
  }
}
