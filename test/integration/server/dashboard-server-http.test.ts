import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import type { HistoryQuery } from '../../../daemon/store/history-query.ts';
import { makeBoot, makeEvent, startHarness, type Harness } from './server-harness.ts';

const harnesses: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function harness(opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(opts);
  harnesses.push(h);
  return h;
}
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'uartscope-http-'));
  dirs.push(d);
  return d;
}

/** A raw GET, so the Host header and the path are sent exactly as given (fetch normalises both). */
function get(url: string, headers: Record<string, string> = {}, rawPath?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path: rawPath ?? u.pathname + u.search, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}

function staticDir(): string {
  const d = tmp();
  mkdirSync(join(d, 'assets'));
  writeFileSync(join(d, 'index.html'), '<!doctype html><title>uartscope</title><script type="module" src="/assets/app-1.js"></script>');
  writeFileSync(join(d, 'assets/app-1.js'), 'console.log(1)');
  return d;
}

describe('DashboardServer HTTP', () => {
  it('serves the built page with a CSP that allows no inline script, and nosniff', async () => {
    const h = await harness({ staticDir: staticDir() });
    const page = await get(h.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>uartscope</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const js = await get(`${h.url}assets/app-1.js`);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await get(`${h.url}boots/console`)).body).toContain('<title>uartscope</title>'); // the page's own routes
    expect((await get(`${h.url}assets/missing.js`)).status).toBe(404);
    expect((await get(h.url, {}, '/../../../etc/passwd')).body).not.toContain('root:');
  });

  it('says to run npm run build when the page was not built', async () => {
    const h = await harness({ staticDir: tmp() });
    const r = await get(h.url);
    expect(r.status).toBe(500);
    expect(r.body).toContain('npm run build');
    expect((await get(`${h.url}healthz`)).status).toBe(200);
  });

  it('opens no socket at all when http is disabled', async () => {
    const { EventBus } = await import('../../../daemon/pipeline/event-bus.ts');
    const { DashboardServer } = await import('../../../daemon/server/dashboard-server.ts');
    const on = await harness();
    const server = new DashboardServer();
    await server.start(new EventBus(), { ...on.runtime, config: { ...on.runtime.config, http: { ...on.runtime.config.http, enabled: false } } });
    expect(() => server.address()).toThrow(/disabled/);
    await server.stop();
  });

  it('answers /healthz and the live ports', async () => {
    const h = await harness();
    expect(JSON.parse((await get(`${h.url}healthz`)).body)).toMatchObject({ status: 'ok', ports: 2 });
    const ports = JSON.parse((await get(`${h.url}api/ports`)).body) as { live: { name: string }[]; sessions: null };
    expect(ports.live.map((p) => p.name)).toEqual(['console', 'esp']);
    expect(ports.sessions).toBeNull();
  });

  it('answers history with 503 and a reason when the store is off, and from the store when on', async () => {
    const off = await harness();
    const r = await get(`${off.url}api/history/events`);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body).error).toContain('store');

    const asked: unknown[] = [];
    const ev = makeEvent({ kind: 'fault', port: 'console', lines: { port: 'console', first: 1, last: 9 } });
    const history: HistoryQuery = {
      ports: () => [{ port: 'console', source: '/dev/ttyACM0', openedAt: 1 }],
      boots: (f) => { asked.push(f); return [makeBoot('console')]; },
      events: (f) => { asked.push(f); return [ev]; },
      drift: () => [],
      alerts: (f) => { asked.push(f); return []; },
    };
    const on = await harness({ history });
    const events = JSON.parse((await get(`${on.url}api/history/events?port=console&kind=fault&since=5&limit=20`)).body) as unknown[];
    expect(events).toEqual([ev]);
    expect(asked[0]).toEqual({ port: 'console', kind: 'fault', since: 5, limit: 20 });
    await get(`${on.url}api/history/alerts?state=firing`);
    expect(asked[1]).toEqual({ limit: 1000, state: 'firing' });
    expect((await get(`${on.url}api/history/nothing`)).status).toBe(404);
  });

  it('lists and downloads captures with passwords redacted, and refuses paths outside the port folder', async () => {
    const h = await harness();
    const dir = join(h.dataDir, 'captures', 'esp');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'esp-2026-11-24.log'), 'ready\r\nAT+CWJAP="lab","hunter2"\r\nOK\r\n');
    writeFileSync(join(h.dataDir, 'secret.txt'), 'do not serve');
    symlinkSync(join(h.dataDir, 'secret.txt'), join(dir, 'link.log'));
    const list = JSON.parse((await get(`${h.url}api/captures/esp`)).body) as { name: string }[];
    expect(list.map((f) => f.name)).toEqual(['esp-2026-11-24.log']);
    const file = await get(`${h.url}api/captures/esp/esp-2026-11-24.log`);
    expect(file.status).toBe(200);
    expect(file.body).toBe('ready\r\nAT+CWJAP="lab","[redacted]"\r\nOK\r\n');
    expect(file.headers['content-disposition']).toContain('attachment');
    for (const path of ['/api/captures/esp/link.log', '/api/captures/esp/..%2F..%2Fsecret.txt', '/api/captures/..%2F/secret.txt', '/api/captures/esp/%2e%2e']) {
      const r = await get(h.url, {}, path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('do not serve');
    }
    expect(readFileSync(join(dir, 'esp-2026-11-24.log'), 'utf8')).toContain('hunter2'); // the capture itself is untouched
  });

  it('refuses a Host header that is not loopback (DNS rebinding) while listening on loopback', async () => {
    const h = await harness();
    const r = await get(`${h.url}api/ports`, { Host: `evil.example:${h.server.address().port}` });
    expect(r.status).toBe(421);
    expect(h.server.counters().refusedBy['host']).toBe(1);
  });

  it('off loopback, turns ?token= into an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const h = await harness({ http: { listen: '0.0.0.0:0' }, staticDir: staticDir() });
    const token = readFileSync(join(h.dataDir, 'token'), 'utf8').trim();
    expect((await get(h.url)).status).toBe(401);
    expect((await get(`${h.url}api/ports`)).status).toBe(401);
    const first = await get(`${h.url}?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers['location']).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const withCookie = await get(h.url, { Cookie: cookie.split(';')[0] ?? '' });
    expect(withCookie.status).toBe(200);
    expect((await get(`${h.url}api/ports`, { Authorization: `Bearer ${token}` })).status).toBe(200);
  });
});
