import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import type { SnapshotMessage } from '../../../daemon/server/protocol.ts';
import { Probe, makeBoot, makeEvent, makeLine, publishZephyr, startHarness, type Harness } from './server-harness.ts';

const harnesses: Harness[] = [];
const probes: Probe[] = [];
afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  for (const h of harnesses.splice(0)) await h.cleanup();
});

async function harness(opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(opts);
  harnesses.push(h);
  return h;
}
async function probe(url: string, options?: WebSocket.ClientOptions): Promise<Probe> {
  const p = await Probe.connect(url, options);
  probes.push(p);
  return p;
}
function publishLines(h: Harness, port: string, from: number, to: number): void {
  for (let s = from; s <= to; s++) h.bus.publish({ type: 'line', line: makeLine(port, s, `line ${s} of ${port}`) });
}
const hello = (resume?: Record<string, number>) => ({ type: 'hello', v: 1, ...(resume ? { resume } : {}) });

describe('DashboardServer WebSocket', () => {
  it('sends a new client a snapshot of ports, recent lines, boots, firing alerts and drift fits', async () => {
    const h = await harness();
    publishLines(h, 'console', 0, 9);
    h.bus.publish({ type: 'boot', boot: makeBoot('console') });
    h.bus.publish({ type: 'drift', fit: { port: 'console', boot: 'console-boot-0', source: 'uptime', ratio: 0.125, ppm: -875000, uncertaintyPpm: 40, samples: 9, spanS: 8, verdict: 'drift', hint: 'CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC' } });
    h.bus.publish({ type: 'alert', alert: { id: 'a1', rule: 'faults', port: 'console', kind: 'fault', state: 'firing', firstAt: 1, lastAt: 1, count: 1, title: 'HARD FAULT', eventId: 'e1' } });
    h.bus.publish({ type: 'alert', alert: { id: 'a2', rule: 'x', port: 'console', kind: 'stall', state: 'resolved', firstAt: 1, lastAt: 1, count: 1, title: 'old', eventId: 'e2' } });
    const p = await probe(h.wsUrl);
    p.send(hello());
    await p.until((q) => q.messages.some((m) => m.type === 'snapshot'), 'snapshot');
    const snap = p.messages.find((m): m is SnapshotMessage => m.type === 'snapshot');
    expect(snap?.ports.map((x) => x.name)).toEqual(['console', 'esp']);
    expect(snap?.lines.map((l) => l.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(snap?.boots.map((b) => b.id)).toEqual(['console-boot-0']);
    expect(snap?.alerts.map((a) => a.id)).toEqual(['a1']);
    expect(snap?.drift[0]?.ratio).toBe(0.125);
    expect(snap?.resumed).toBe(false);
  });

  it('sends live lines in batches carrying level, module and device time from their records', async () => {
    const h = await harness();
    const p = await probe(h.wsUrl);
    p.send(hello());
    await p.until((q) => q.messages.length > 0, 'snapshot');
    for (let s = 0; s < 300; s++) publishZephyr(h.bus, 'console', s, s % 10 === 0 ? 'err' : 'inf', 'wifi_esp_at', `msg ${s}`, s * 1000);
    await p.until((q) => q.lines().length === 300, '300 lines');
    const deltas = p.messages.filter((m) => m.type === 'delta' && m.lines.length > 0);
    // 300 synchronous publishes fit in one or two batch intervals, not 300 messages.
    expect(deltas.length).toBeLessThanOrEqual(3);
    const first = p.messages.flatMap((m) => (m.type === 'delta' ? m.lines : []))[0];
    expect(first).toMatchObject({ port: 'console', seq: 0, level: 'err', module: 'wifi_esp_at', dt: 0, dts: 'log' });
    expect(first?.ansi).toContain('\x1b[1;31m');
  });

  it('gives a client that resumes from its last seq exactly the lines after it, with no duplicates or holes', async () => {
    const h = await harness();
    publishLines(h, 'console', 0, 49);
    const a = await probe(h.wsUrl);
    a.send(hello());
    await a.until((q) => q.lines('console').length === 50, 'first 50 lines');
    a.close();
    publishLines(h, 'console', 50, 99);
    publishLines(h, 'esp', 0, 4);
    const b = await probe(h.wsUrl);
    b.send(hello({ console: 49 }));
    await b.until((q) => q.messages.some((m) => m.type === 'snapshot'), 'resumed snapshot');
    publishLines(h, 'console', 100, 109);
    await b.until((q) => q.lines('console').at(-1)?.seq === 109, 'line 109');
    const snap = b.messages[0] as SnapshotMessage;
    expect(snap.resumed).toBe(true);
    const seen = [...a.lines('console'), ...b.lines('console')].map((l) => l.seq);
    expect(seen).toEqual(Array.from({ length: 110 }, (_, i) => i));
    // A port the client had not seen yet comes whole.
    expect(b.lines('esp').map((l) => l.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('answers a resume point the ring no longer holds with a gap notice and a full snapshot', async () => {
    const h = await harness({ http: { ring_lines_per_port: 100 } });
    publishLines(h, 'console', 0, 299);
    const p = await probe(h.wsUrl);
    p.send(hello({ console: 10 }));
    await p.until((q) => q.messages.some((m) => m.type === 'snapshot'), 'snapshot');
    expect(p.messages[0]).toMatchObject({ type: 'gap', reason: 'ring_overrun', ports: ['console'] });
    const snap = p.messages[1] as SnapshotMessage;
    expect(snap.resumed).toBe(false);
    expect(snap.lines[0]?.seq).toBe(200);
    expect(snap.lines.at(-1)?.seq).toBe(299);
  });

  it('stops feeding a client that stops reading, keeps its queue bounded, then sends a gap and a fresh snapshot', async () => {
    const cap = 64 * 1024;
    const h = await harness({ http: { client_buffer_max_bytes: cap, ring_lines_per_port: 2000, snapshot_lines_per_port: 50 } });
    const p = await probe(h.wsUrl);
    p.send(hello());
    await p.until((q) => q.messages.length > 0, 'snapshot');
    p.ws.pause(); // stops reading its socket: the kernel buffers fill, then the server's
    const filler = 'x'.repeat(400);
    let seq = 0;
    let maxBatchBytes = 0;
    for (let round = 0; round < 2000 && !h.server.clientStats()[0]?.lagging; round++) {
      const before = seq;
      for (let i = 0; i < 500; i++, seq++) h.bus.publish({ type: 'line', line: makeLine('console', seq, `${seq} ${filler}`) });
      maxBatchBytes = Math.max(maxBatchBytes, (seq - before) * 520);
      await new Promise((ok) => setTimeout(ok, 60));
    }
    const stat = h.server.clientStats()[0];
    expect(stat?.lagging).toBe(true);
    // Keep publishing while it lags: nothing more is queued for it.
    const bufferedWhenLagging = stat?.bufferedAmount ?? 0;
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 500; i++, seq++) h.bus.publish({ type: 'line', line: makeLine('console', seq, `${seq} ${filler}`) });
      await new Promise((ok) => setTimeout(ok, 60));
    }
    const after = h.server.clientStats()[0];
    expect(after?.bufferedAmount).toBeLessThanOrEqual(bufferedWhenLagging);
    expect(after?.maxBufferedAmount).toBeLessThanOrEqual(cap + maxBatchBytes + 64 * 1024);
    expect(h.server.stats().droppedBy['slow_client']).toBeGreaterThan(0);
    p.ws.resume();
    await p.until((q) => q.messages.some((m, i) => m.type === 'snapshot' && i > 0), 'gap then snapshot', 20_000);
    const gapAt = p.messages.findIndex((m) => m.type === 'gap');
    expect(p.messages[gapAt]).toMatchObject({ type: 'gap', reason: 'slow_client' });
    expect(p.messages[gapAt + 1]?.type).toBe('snapshot');
    const fresh = p.messages[gapAt + 1] as SnapshotMessage;
    expect(fresh.lines.at(-1)?.seq).toBe(seq - 1);
  });

  it('refuses a WebSocket whose Origin is another site, and counts it', async () => {
    const h = await harness();
    await expect(Probe.connect(h.wsUrl, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const { port } = h.server.address();
    const ok = await probe(h.wsUrl, { origin: `http://127.0.0.1:${port}` });
    expect(ok.ws.readyState).toBe(WebSocket.OPEN);
    expect(h.server.counters().refusedBy['origin']).toBe(1);
  });

  it('requires the token on a non-loopback listen, over a bearer header or ?token=, and stores it mode 0600', async () => {
    const logs: string[] = [];
    const h = await harness({ http: { listen: '0.0.0.0:0' }, logs });
    await expect(Probe.connect(h.wsUrl)).rejects.toThrow(/401/);
    await expect(Probe.connect(`${h.wsUrl}?token=${'0'.repeat(64)}`)).rejects.toThrow(/401/);
    const tokenFile = join(h.dataDir, 'token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(logs.filter((l) => l.includes(token))).toHaveLength(1);
    const viaHeader = await probe(h.wsUrl, { headers: { Authorization: `Bearer ${token}` } });
    const viaQuery = await probe(`${h.wsUrl}?token=${token}`);
    viaHeader.send(hello());
    await viaHeader.until((q) => q.messages.length > 0, 'snapshot');
    expect((viaHeader.messages[0] as SnapshotMessage).server.authenticated).toBe(true);
    expect(viaQuery.ws.readyState).toBe(WebSocket.OPEN);
    expect(h.server.counters().refusedBy['token']).toBe(2);
    // A restart reuses the stored token and prints nothing.
    await h.stop();
    const again = await harness({ http: { listen: '0.0.0.0:0' }, dataDir: h.dataDir, logs });
    expect(logs).toHaveLength(1);
    const p = await probe(`${again.wsUrl}?token=${token}`);
    expect(p.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('rejects and counts malformed, unknown and oversized client messages', async () => {
    const h = await harness({ http: { max_message_bytes: 1024 } });
    const p = await probe(h.wsUrl);
    p.send('not json');
    p.send({ type: 'hello', v: 2 });
    p.send({ type: 'exec', cmd: 'rm -rf /' });
    p.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await p.until((q) => q.messages.filter((m) => m.type === 'error').length === 4, '4 errors');
    expect(h.server.counters().rejectedBy).toMatchObject({ json: 1, schema: 2, binary: 1 });
    p.send({ type: 'hello', v: 1, resume: { console: 1 }, pad: 'x'.repeat(2000) });
    await p.until((q) => q.closeCode !== undefined, 'close');
    expect(p.closeCode).toBe(1009);
    await new Promise((ok) => setTimeout(ok, 50));
    expect(h.server.counters().rejectedBy['oversize']).toBe(1);
    expect(h.server.counters().rejectedMessages).toBe(5);
  });

  it('writes to a serial port only when allow_write is on and the client presented the token', async () => {
    const off = await harness();
    const a = await probe(off.wsUrl);
    a.send({ type: 'write', v: 1, id: 1, port: 'esp', data: 'AT\r\n' });
    await a.until((q) => q.messages.some((m) => m.type === 'error'), 'error');
    expect(a.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'ERR_WRITE_FORBIDDEN' });
    expect(off.written).toEqual([]);

    const on = await harness({ http: { allow_write: true } });
    const anonymous = await probe(on.wsUrl);
    anonymous.send({ type: 'write', v: 1, id: 2, port: 'esp', data: 'AT\r\n' });
    await anonymous.until((q) => q.messages.some((m) => m.type === 'error'), 'error');
    expect(on.written).toEqual([]);
    const token = readFileSync(join(on.dataDir, 'token'), 'utf8').trim();
    const authed = await probe(on.wsUrl, { headers: { Authorization: `Bearer ${token}` } });
    authed.send({ type: 'write', v: 1, id: 3, port: 'esp', data: 'AT+GMR\r\n' });
    await authed.until((q) => q.messages.some((m) => m.type === 'write_ok'), 'write_ok');
    expect(on.written).toEqual([{ port: 'esp', data: 'AT+GMR\r\n' }]);
  });

  it('closes a client that stops answering pings', async () => {
    const h = await harness({ http: { heartbeat_interval_ms: 100 } });
    const p = await probe(h.wsUrl, { autoPong: false });
    await p.until((q) => q.closeCode !== undefined, 'close by heartbeat');
    expect(p.closeCode).toBe(1006);
    expect(h.server.counters().clients).toBe(0);
  });

  it('never sends a Wi-Fi password a line carries', async () => {
    const h = await harness();
    const p = await probe(h.wsUrl);
    p.send(hello());
    await p.until((q) => q.messages.length > 0, 'snapshot');
    h.bus.publish({ type: 'line', line: makeLine('esp', 0, 'AT+CWJAP="lab","hunter2"', { ansi: '\x1b[32mAT+CWJAP="lab","hunter2"\x1b[0m' }) });
    await p.until((q) => q.lines('esp').length === 1, 'line');
    expect(JSON.stringify(p.messages)).not.toContain('hunter2');
    expect(p.lines('esp')[0]?.text).toBe('AT+CWJAP="lab","[redacted]"');
    h.bus.publish({ type: 'event', event: makeEvent({ kind: 'fault', port: 'console', lines: { port: 'console', first: 0, last: 0 } }) });
    await p.until((q) => q.messages.some((m) => m.type === 'delta' && m.events.length === 1), 'event');
  });
});
