import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { AlertSink } from '../../../daemon/alerts/alert-sink.ts';
import { WebhookAction } from '../../../daemon/alerts/webhook-action.ts';
import { alertRuleSchema, webhookActionSchema } from '../../../daemon/config/sections/alerts.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import type { Runtime } from '../../../daemon/pipeline/runtime.ts';
import { event } from '../../unit/store/store-fixtures.ts';

interface Received {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP receiver on 127.0.0.1:0 answering with the given statuses in turn (then 200). */
async function receiver(statuses: Array<number | 'hang'>): Promise<{ url: string; requests: Received[]; delivered: Received[]; server: Server }> {
  const requests: Received[] = [];
  const delivered: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r = { method: req.method ?? '', headers: req.headers, body };
      requests.push(r);
      const status = statuses.shift() ?? 200;
      if (status === 'hang') return; // never answers: the client's timeout must fire
      if (status === 200) delivered.push(r);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'fail');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, requests, delivered, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

const config = (url: string, over: object = {}) => webhookActionSchema.parse({ type: 'webhook', url, backoff_initial_ms: 20, backoff_max_ms: 100, ...over });

describe('webhook alert action', () => {
  it('retries a receiver that fails with 500, and the event arrives once with its JSON body intact', async () => {
    const rx = await receiver([500, 500]);
    servers.push(rx.server);
    const bus = new EventBus();
    const rule = alertRuleSchema.parse({ name: 'faults', kinds: ['fault'], actions: [{ type: 'webhook', url: rx.url, headers: { authorization: 'Bearer t0k' }, backoff_initial_ms: 20, retries: 3 }] });
    const sink = new AlertSink([rule]);
    sink.start(bus, {} as Runtime);
    const e = event({ title: 'HARD FAULT: ünïcödé “quotes” \\ and \n newline' });
    bus.publish({ type: 'event', event: e });
    await sink.drained();
    await sink.stop();

    expect(rx.requests).toHaveLength(3);
    expect(rx.delivered).toHaveLength(1);
    const got = rx.delivered[0];
    expect(got?.method).toBe('POST');
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers.authorization).toBe('Bearer t0k');
    expect(got?.headers['x-uartscope-rule']).toBe('faults');
    expect(JSON.parse(got?.body ?? 'null')).toEqual(e);
    expect(sink.actionStats()).toEqual([{ rule: 'faults', type: 'webhook', received: 1, succeeded: 1, failed: 0, retries: 2, dropped: 0, lastError: 'HTTP 500' }]);
  });

  it('gives up after the configured retries and counts the failure', async () => {
    const rx = await receiver([503, 503, 503, 503]);
    servers.push(rx.server);
    const action = new WebhookAction('r', config(rx.url, { retries: 2 }));
    action.enqueue({ body: '{}', alertId: 'a' });
    await action.drained();
    expect(rx.requests).toHaveLength(3);
    expect(action.stats).toMatchObject({ succeeded: 0, failed: 1, retries: 2, lastError: 'HTTP 503' });
  });

  it('does not retry a request the receiver rejects as bad (4xx)', async () => {
    const rx = await receiver([400]);
    servers.push(rx.server);
    const action = new WebhookAction('r', config(rx.url));
    action.enqueue({ body: '{}', alertId: 'a' });
    await action.drained();
    expect(rx.requests).toHaveLength(1);
    expect(action.stats).toMatchObject({ failed: 1, retries: 0 });
  });

  it('times out a receiver that never answers and delivers on the retry', async () => {
    const rx = await receiver(['hang']);
    servers.push(rx.server);
    const action = new WebhookAction('r', config(rx.url, { timeout_ms: 200, retries: 1 }));
    action.enqueue({ body: '{"n":1}', alertId: 'a' });
    await action.drained();
    expect(rx.delivered.map((r) => r.body)).toEqual(['{"n":1}']);
    expect(action.stats).toMatchObject({ succeeded: 1, retries: 1, lastError: 'timeout after 200 ms' });
  });

  it('counts a refused connection as a failure, never throwing into the caller', async () => {
    const rx = await receiver([]);
    const url = rx.url;
    await new Promise<void>((resolve) => rx.server.close(() => resolve()));
    const action = new WebhookAction('r', config(url, { retries: 1 }));
    expect(() => action.enqueue({ body: '{}', alertId: 'a' })).not.toThrow();
    await action.drained();
    expect(action.stats).toMatchObject({ failed: 1, retries: 1 });
    expect(action.stats.lastError).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('drops the newest deliveries when its queue is full, and counts them', async () => {
    const rx = await receiver([]);
    servers.push(rx.server);
    const action = new WebhookAction('r', config(rx.url, { queue_capacity: 2 }));
    for (let i = 0; i < 5; i++) action.enqueue({ body: `{"n":${i}}`, alertId: `a${i}` });
    await action.drained();
    expect(rx.delivered.map((r) => r.body)).toEqual(['{"n":0}', '{"n":1}']);
    expect(action.stats).toMatchObject({ received: 5, succeeded: 2, dropped: 3 });
  });

  it('stops within its deadline while a receiver keeps failing, dropping what is left', async () => {
    const rx = await receiver(Array(50).fill(500));
    servers.push(rx.server);
    const action = new WebhookAction('r', config(rx.url, { retries: 20, backoff_initial_ms: 5000, backoff_max_ms: 5000 }));
    action.enqueue({ body: '{}', alertId: 'a' });
    action.enqueue({ body: '{}', alertId: 'b' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await action.stop(50);
    expect(action.stats).toMatchObject({ succeeded: 0, failed: 1, dropped: 1 });
  });
});
