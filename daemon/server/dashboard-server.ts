import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';

import type { HttpConfig } from '../config/sections/http.ts';
import { hostClock } from '../core/host-time.ts';
import type { QueueStats } from '../pipeline/bounded-queue.ts';
import type { EventBus } from '../pipeline/event-bus.ts';
import type { Runtime } from '../pipeline/runtime.ts';
import type { Sink } from '../pipeline/sink.ts';
import type { HistoryFilter } from '../store/history-query.ts';
import {
  TOKEN_COOKIE, hostAllowed, isLoopbackHost, loadOrCreateToken, originAllowed, presentedToken, splitListen, tokenMatches,
} from './access-control.ts';
import { listCaptures, openRedactedCapture, resolveCapture } from './capture-files.ts';
import { LiveState } from './live-state.ts';
import {
  PROTOCOL_VERSION, clientMessageSchema, type DeltaMessage, type ErrorCode, type GapReason, type HelloMessage, type ServerMessage,
  type SnapshotMessage, type WireLine, type WriteMessage,
} from './protocol.ts';
import type { Mutable } from '../core/mutable.ts';

/** Where `npm run build` puts the page (dashboard/vite.config.ts). */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

/** No inline script at all (the built page has none); WebSocket to the same origin only (CSP3 'self' covers ws:). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "style-src-attr 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/** Rejected client messages before the connection is closed with 1008 (policy violation). */
const MAX_REJECTS_PER_CLIENT = 10;
const BOOTS_PER_PORT = 20;
const PORTS_INTERVAL_MS = 1000;

export interface DashboardServerOptions {
  /** The built page; default `dashboard/dist` of this checkout. */
  readonly staticDir?: string;
  /** Where the generated token and the listen address are reported; default stderr. */
  readonly log?: (message: string) => void;
}

interface Client {
  readonly ws: WebSocket;
  readonly authenticated: boolean;
  /** Snapshot sent: deltas flow. */
  ready: boolean;
  /** Fell behind: no deltas until drained, then gap + snapshot. */
  lagging: boolean;
  alive: boolean;
  /** Bytes of the last snapshot still allowed in the buffer on top of the cap (shrinks as it drains). */
  allowance: number;
  rejected: number;
  helloTimer?: NodeJS.Timeout;
  maxBuffered: number;
  gaps: number;
}

export interface ClientStat {
  readonly bufferedAmount: number;
  readonly maxBufferedAmount: number;
  readonly lagging: boolean;
  readonly ready: boolean;
  readonly gaps: number;
  readonly authenticated: boolean;
}

export interface ServerCounters {
  clients: number;
  connections: number;
  /** Client messages rejected, by reason: `json`, `schema`, `binary`, `oversize`, `write_forbidden`. */
  rejectedMessages: number;
  rejectedBy: Record<string, number>;
  /** Upgrades and requests refused, by reason: `origin`, `token`, `host`, `max_clients`. */
  refusedBy: Record<string, number>;
  gapsSent: number;
  snapshotsSent: number;
  batchesSent: number;
}

/**
 * The dashboard's server: static page, history API, capture downloads and the live
 * WebSocket at `/ws`. A {@link Sink}: it reads the bus synchronously into bounded state and
 * sends batches on a timer, so a slow browser costs a gap notice, never memory or the pipeline's time.
 */
export class DashboardServer implements Sink {
  readonly name = 'dashboard';
  readonly #opts: DashboardServerOptions;
  #cfg!: HttpConfig;
  #runtime!: Runtime;
  #state!: LiveState;
  #http?: Server;
  #wss?: WebSocketServer;
  #sub?: Subscription;
  #tick?: NodeJS.Timeout;
  #heartbeat?: NodeJS.Timeout;
  #token?: string;
  #listenHost = '127.0.0.1';
  #lastPortsAt = 0;
  readonly #clients = new Set<Client>();
  readonly #stats: QueueStats = { received: 0, delivered: 0, dropped: 0, droppedBy: {}, errors: 0, depth: 0, capacity: 0 };
  readonly #counters: ServerCounters = {
    clients: 0, connections: 0, rejectedMessages: 0, rejectedBy: {}, refusedBy: {}, gapsSent: 0, snapshotsSent: 0, batchesSent: 0,
  };

  constructor(options: DashboardServerOptions = {}) {
    this.#opts = options;
  }

  async start(bus: EventBus, runtime: Runtime): Promise<void> {
    this.#runtime = runtime;
    this.#cfg = runtime.config.http;
    const cfg = this.#cfg;
    if (!cfg.enabled) return; // `--no-http`: no socket at all
    this.#state = new LiveState({
      ringLinesPerPort: cfg.ring_lines_per_port,
      recentEvents: cfg.recent_events,
      bootsPerPort: BOOTS_PER_PORT,
      maxPendingLines: cfg.ring_lines_per_port * 4,
    });
    this.#stats.capacity = cfg.client_buffer_max_bytes;
    const { host, port } = splitListen(cfg.listen);
    this.#listenHost = host;
    // The token guards everything off loopback, and writes everywhere (allow_write needs an authenticated client).
    if (!isLoopbackHost(host) || cfg.allow_write) {
      const t = loadOrCreateToken(runtime.dataDir);
      this.#token = t.token;
      if (t.created) this.#log(`dashboard token (printed once; stored mode 0600 in ${runtime.dataDir}/token): ${t.token}`);
    }

    this.#sub = bus.messages$.subscribe({ next: (m) => { this.#stats.received++; this.#state.apply(m); } });

    this.#wss = new WebSocketServer({ noServer: true, maxPayload: cfg.max_message_bytes, perMessageDeflate: false });
    const http = createServer((req, res) => this.#onRequest(req, res));
    http.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket, head));
    this.#http = http;
    await new Promise<void>((ok, fail) => {
      http.once('error', fail);
      http.listen(port, host, () => { http.off('error', fail); ok(); });
    });
    this.#tick = setInterval(() => this.#onTick(), cfg.batch_interval_ms);
    this.#heartbeat = setInterval(() => this.#onHeartbeat(), cfg.heartbeat_interval_ms);
  }

  /** The bound address (port 0 resolved). */
  address(): { host: string; port: number } {
    const a = this.#http?.address() as AddressInfo | null | undefined;
    if (!a) throw new Error(this.#cfg?.enabled === false ? 'dashboard server is disabled (http.enabled: false)' : 'dashboard server is not listening');
    return { host: a.address, port: a.port };
  }

  /** `http://HOST:PORT/`, for the CLI's `dashboard:` line. */
  get url(): string {
    const { host, port } = this.address();
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  }

  get tokenRequired(): boolean {
    return !isLoopbackHost(this.#listenHost);
  }

  stats(): QueueStats {
    let depth = 0;
    for (const c of this.#clients) depth += c.ws.bufferedAmount;
    this.#stats.depth = depth;
    return this.#stats;
  }

  counters(): ServerCounters {
    this.#counters.clients = this.#clients.size;
    return this.#counters;
  }

  clientStats(): ClientStat[] {
    return [...this.#clients].map((c) => ({
      bufferedAmount: c.ws.bufferedAmount, maxBufferedAmount: c.maxBuffered, lagging: c.lagging, ready: c.ready, gaps: c.gaps,
      authenticated: c.authenticated,
    }));
  }

  async stop(): Promise<void> {
    this.#sub?.unsubscribe();
    clearInterval(this.#tick);
    clearInterval(this.#heartbeat);
    for (const c of this.#clients) {
      clearTimeout(c.helloTimer);
      c.ws.terminate();
    }
    this.#clients.clear();
    this.#wss?.close();
    const http = this.#http;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((ok) => http.close(() => ok()));
    }
  }

  #log(message: string): void {
    (this.#opts.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
  }

  #count(map: Record<string, number>, reason: string): void {
    map[reason] = (map[reason] ?? 0) + 1;
  }

  // ---- access ------------------------------------------------------------------------------

  /** undefined = allowed; otherwise the reason it is refused. */
  #access(req: IncomingMessage, url: URL): { refused?: 'host' | 'token'; authenticated: boolean; via?: string } {
    const { port } = this.address();
    if (!hostAllowed(req.headers.host, this.#listenHost, port)) return { refused: 'host', authenticated: false };
    const { token, via } = presentedToken(req, url);
    const authenticated = this.#token !== undefined && tokenMatches(this.#token, token);
    if (this.tokenRequired && !authenticated) return { refused: 'token', authenticated };
    return via === undefined ? { authenticated } : { authenticated, via };
  }

  // ---- HTTP --------------------------------------------------------------------------------

  #headers(res: ServerResponse): void {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
  }

  #json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.#headers(res);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return this.#json(res, 400, { error: 'bad request target' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.#json(res, 405, { error: 'only GET and HEAD' });
    }
    if (url.pathname === '/healthz') {
      return this.#json(res, 200, { status: 'ok', clients: this.#clients.size, ports: this.#runtime.ports().length });
    }
    const access = this.#access(req, url);
    if (access.refused) {
      this.#count(this.#counters.refusedBy, access.refused);
      if (access.refused === 'host') return this.#json(res, 421, { error: 'Host header does not name this server' });
      res.setHeader('WWW-Authenticate', 'Bearer realm="uartscope"');
      return this.#json(res, 401, { error: 'token required: open the URL with ?token=<contents of <data>/token> or send Authorization: Bearer' });
    }
    if (access.via === 'query' && this.#token !== undefined && access.authenticated) {
      // First page load with ?token=: keep it in a cookie the page's script cannot read, and
      // drop it from the address bar (history, Referer).
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(this.#token)}; Path=/; HttpOnly; SameSite=Strict`);
      if (!url.pathname.startsWith('/api/')) {
        url.searchParams.delete('token');
        res.writeHead(303, { Location: url.pathname + url.search });
        res.end();
        return;
      }
    }
    if (url.pathname.startsWith('/api/')) {
      void this.#api(url, res).catch((err: unknown) => {
        this.#stats.errors++;
        if (!res.headersSent) this.#json(res, 500, { error: String((err as Error).message ?? err) });
        else res.destroy();
      });
      return;
    }
    this.#static(url, req, res);
  }

  async #api(url: URL, res: ServerResponse): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p)); // ['api', ...]
    const [, area, a, b] = parts;
    if (area === 'ports' && parts.length === 2) {
      return this.#json(res, 200, { live: this.#runtime.ports(), sessions: this.#runtime.history?.ports() ?? null });
    }
    if (area === 'history' && a !== undefined && parts.length === 3) {
      const h = this.#runtime.history;
      if (!h) return this.#json(res, 503, { error: 'history unavailable: the store is disabled (store section of the config)' });
      const f = this.#filter(url);
      switch (a) {
        case 'ports': return this.#json(res, 200, h.ports());
        case 'boots': return this.#json(res, 200, h.boots(f));
        case 'events': return this.#json(res, 200, h.events(f));
        case 'drift': return this.#json(res, 200, h.drift(f));
        case 'alerts': {
          const state = url.searchParams.get('state');
          return this.#json(res, 200, h.alerts(state === 'firing' || state === 'resolved' ? { ...f, state } : f));
        }
      }
      return this.#json(res, 404, { error: `no history of "${a}"` });
    }
    if (area === 'captures' && a !== undefined && parts.length === 3) {
      const files = await listCaptures(this.#runtime.dataDir, a);
      if (!files) return this.#json(res, 404, { error: `no captures for port "${a}"` });
      return this.#json(res, 200, files);
    }
    if (area === 'captures' && a !== undefined && b !== undefined && parts.length === 4) {
      const file = await resolveCapture(this.#runtime.dataDir, a, b);
      if (!file) return this.#json(res, 404, { error: 'no such capture file' });
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store',
        'Content-Disposition': `attachment; filename="${a}-${b}"`,
      });
      const stream = openRedactedCapture(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    this.#json(res, 404, { error: 'no such API' });
  }

  #filter(url: URL): HistoryFilter {
    const q = url.searchParams;
    const f: Mutable<HistoryFilter> = {};
    const port = q.get('port');
    if (port) f.port = port;
    const since = Number(q.get('since'));
    if (q.has('since') && Number.isFinite(since)) f.since = since;
    const kind = q.get('kind');
    if (kind) f.kind = kind;
    const limit = Number(q.get('limit'));
    f.limit = q.has('limit') && Number.isInteger(limit) && limit > 0 ? Math.min(limit, 10_000) : 1000;
    return f;
  }

  #static(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const root = resolve(this.#opts.staticDir ?? DEFAULT_STATIC_DIR);
    const index = resolve(root, 'index.html');
    if (!existsSync(index)) {
      res.writeHead(500, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>uartscope</title><h1>Dashboard not built</h1><p>Run <code>npm run build</code> and reload. The WebSocket at /ws and the API at /api/ work without it.</p>');
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return this.#json(res, 400, { error: 'bad path' });
    }
    let file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) return this.#json(res, 404, { error: 'not found' });
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch { /* falls back below */ }
    if (!isFile) {
      if (path.startsWith('/assets/') || extname(path) !== '') return this.#json(res, 404, { error: 'not found' });
      file = index; // the page's own routes
    }
    const immutable = path.startsWith('/assets/'); // Vite puts a content hash in these names
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }

  // ---- WebSocket ---------------------------------------------------------------------------

  #refuseUpgrade(socket: Duplex, status: number, text: string, reason: string): void {
    this.#count(this.#counters.refusedBy, reason);
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return this.#refuseUpgrade(socket, 404, 'Not Found', 'path');
    const access = this.#access(req, url);
    if (access.refused === 'host') return this.#refuseUpgrade(socket, 421, 'Misdirected Request', 'host');
    if (!originAllowed(req.headers.origin, req.headers.host)) return this.#refuseUpgrade(socket, 403, 'Forbidden', 'origin');
    if (access.refused === 'token') return this.#refuseUpgrade(socket, 401, 'Unauthorized', 'token');
    if (this.#clients.size >= this.#cfg.max_clients) return this.#refuseUpgrade(socket, 503, 'Service Unavailable', 'max_clients');
    this.#wss?.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws, access.authenticated));
  }

  #onConnection(ws: WebSocket, authenticated: boolean): void {
    this.#counters.connections++;
    const c: Client = { ws, authenticated, ready: false, lagging: false, alive: true, allowance: 0, rejected: 0, maxBuffered: 0, gaps: 0 };
    this.#clients.add(c);
    ws.on('pong', () => { c.alive = true; });
    ws.on('message', (data, isBinary) => this.#onClientMessage(c, data, isBinary));
    ws.on('error', (err: Error & { code?: string }) => {
      // ws closes the connection itself (1009 for a message over maxPayload); we count why.
      this.#reject(c, err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversize' : 'protocol', false);
    });
    ws.on('close', () => {
      clearTimeout(c.helloTimer);
      this.#clients.delete(c);
    });
    c.helloTimer = setTimeout(() => { if (!c.ready) this.#sendSnapshot(c, undefined); }, this.#cfg.hello_timeout_ms);
  }

  #reject(c: Client, reason: string, reply: boolean, code: ErrorCode = 'ERR_BAD_MESSAGE', message = `message rejected: ${reason}`): void {
    this.#counters.rejectedMessages++;
    this.#count(this.#counters.rejectedBy, reason);
    c.rejected++;
    if (reply) this.#send(c, { type: 'error', v: PROTOCOL_VERSION, code, message });
    if (c.rejected >= MAX_REJECTS_PER_CLIENT) c.ws.close(1008, 'too many invalid messages');
  }

  #onClientMessage(c: Client, data: RawData, isBinary: boolean): void {
    if (isBinary) return this.#reject(c, 'binary', true);
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(data));
    } catch {
      return this.#reject(c, 'json', true);
    }
    const r = clientMessageSchema.safeParse(parsed);
    if (!r.success) return this.#reject(c, 'schema', true, 'ERR_BAD_MESSAGE', `message rejected: ${r.error.issues[0]?.message ?? 'schema'}`);
    const msg = r.data;
    if (msg.type === 'hello') return this.#onHello(c, msg);
    void this.#onWrite(c, msg);
  }

  #onHello(c: Client, msg: HelloMessage): void {
    clearTimeout(c.helloTimer);
    if (c.ready) return; // a second hello changes nothing
    this.#sendSnapshot(c, msg.resume);
  }

  async #onWrite(c: Client, msg: WriteMessage): Promise<void> {
    if (!this.#cfg.allow_write || !c.authenticated) {
      return this.#reject(c, 'write_forbidden', true, 'ERR_WRITE_FORBIDDEN',
        this.#cfg.allow_write ? 'writing needs the token' : 'writing is disabled (http.allow_write: false)');
    }
    try {
      await this.#runtime.writePort(msg.port, new TextEncoder().encode(msg.data));
      this.#send(c, { type: 'write_ok', v: PROTOCOL_VERSION, id: msg.id });
    } catch (err) {
      // The reason only: the data may hold a password (AT+CWJAP) and is never echoed or logged.
      this.#send(c, { type: 'error', v: PROTOCOL_VERSION, code: 'ERR_WRITE_FAILED', message: String((err as Error).message ?? err) });
    }
  }

  #send(c: Client, msg: ServerMessage | string): number {
    const data = typeof msg === 'string' ? msg : JSON.stringify(msg);
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(data);
    return data.length;
  }

  /**
   * Sends the whole state, or with `resume` exactly the lines after the client's last seq per
   * port. The pending batch is flushed first, so every later delta is strictly newer than the
   * snapshot: no line twice, none missing.
   */
  #sendSnapshot(c: Client, resume: Readonly<Record<string, number>> | undefined): void {
    this.#flush();
    let lines: WireLine[] | undefined;
    if (resume) {
      const out: WireLine[] = [];
      let gap: { reason: GapReason; ports: string[] } | undefined;
      for (const [port, ring] of this.#state.rings) {
        const last = resume[port];
        if (last === undefined) {
          out.push(...ring.last(this.#cfg.snapshot_lines_per_port));
          continue;
        }
        const oldest = ring.oldestSeq();
        const newest = ring.newestSeq();
        if (newest !== undefined && last > newest) gap = { reason: 'seq_reset', ports: [...(gap?.ports ?? []), port] };
        else if (oldest !== undefined && last + 1 < oldest) gap = { reason: gap?.reason ?? 'ring_overrun', ports: [...(gap?.ports ?? []), port] };
        else out.push(...ring.after(last));
      }
      if (gap) {
        this.#sendGap(c, gap.reason, gap.ports);
      } else {
        lines = this.#state.inBusOrder(out);
      }
    }
    const snap: SnapshotMessage = {
      type: 'snapshot', v: PROTOCOL_VERSION, resumed: lines !== undefined,
      server: { allowWrite: this.#cfg.allow_write, authenticated: c.authenticated, startedAt: this.#runtime.startedAt, now: hostClock.now() },
      ports: this.#runtime.ports(),
      lines: lines ?? this.#state.recentLines(this.#cfg.snapshot_lines_per_port),
      boots: [...this.#state.boots.values()],
      events: this.#state.events,
      alerts: [...this.#state.firing.values()],
      drift: [...this.#state.drift.values()],
      stages: this.#runtime.stages(),
    };
    const bytes = this.#send(c, snap);
    c.allowance = bytes;
    c.ready = true;
    c.lagging = false;
    this.#counters.snapshotsSent++;
  }

  #sendGap(c: Client, reason: GapReason, ports?: string[]): void {
    c.gaps++;
    this.#counters.gapsSent++;
    this.#send(c, ports ? { type: 'gap', v: PROTOCOL_VERSION, reason, ports } : { type: 'gap', v: PROTOCOL_VERSION, reason });
  }

  #onTick(): void {
    this.#flush();
    const now = Date.now();
    if (now - this.#lastPortsAt >= PORTS_INTERVAL_MS && this.#clients.size > 0) {
      this.#lastPortsAt = now;
      this.#broadcastPorts();
    }
    for (const c of this.#clients) {
      const buffered = c.ws.bufferedAmount;
      if (buffered > c.maxBuffered) c.maxBuffered = buffered;
      c.allowance = Math.min(c.allowance, buffered);
      // Resume a lagging client once it has drained most of its buffer: tell it what it
      // missed, then give it the whole state again.
      if (c.lagging && buffered <= this.#cfg.client_buffer_max_bytes / 4) {
        this.#sendGap(c, 'slow_client');
        this.#sendSnapshot(c, undefined);
      }
    }
  }

  #broadcastPorts(): void {
    const msg: DeltaMessage = {
      type: 'delta', v: PROTOCOL_VERSION, now: hostClock.now(), lines: [], notes: [], events: [], boots: [], drift: [], alerts: [], status: [],
      ports: this.#runtime.ports(),
      stages: this.#runtime.stages(),
    };
    this.#broadcast(JSON.stringify(msg), 0);
  }

  /** Sends what accumulated since the last batch to every client that keeps up. */
  #flush(): void {
    if (!this.#state.hasPending) return;
    const d = this.#state.take();
    // Nobody to send it to: the ring keeps the lines for whoever connects next; no JSON to build.
    let listening = false;
    for (const c of this.#clients) if (c.ready) listening = true;
    if (!listening) return;
    const msg: DeltaMessage = {
      type: 'delta', v: PROTOCOL_VERSION, now: hostClock.now(), lines: d.lines, notes: d.notes, events: d.events,
      boots: [...d.boots.values()], drift: [...d.drift.values()], alerts: [...d.alerts.values()], status: d.status,
    };
    this.#counters.batchesSent++;
    if (d.overflowed) {
      // More lines in one interval than the batch may hold: everyone resyncs.
      for (const c of this.#clients) if (c.ready && !c.lagging) { c.lagging = true; this.#drop(d.lines.length, 'batch_overflow'); }
      return;
    }
    this.#broadcast(JSON.stringify(msg), d.lines.length);
  }

  #broadcast(data: string, lines: number): void {
    for (const c of this.#clients) {
      if (!c.ready) continue;
      if (c.lagging) {
        this.#drop(lines, 'slow_client');
        continue;
      }
      const buffered = c.ws.bufferedAmount;
      if (buffered > c.maxBuffered) c.maxBuffered = buffered;
      if (buffered > this.#cfg.client_buffer_max_bytes + c.allowance) {
        // The client stopped reading (or reads slower than we produce): stop here instead of
        // queueing without bound (ws README "bufferedAmount"; DESIGN.md "a slow sink never slows a source").
        c.lagging = true;
        this.#drop(lines, 'slow_client');
        continue;
      }
      c.ws.send(data);
      this.#stats.delivered += lines;
    }
  }

  #drop(lines: number, reason: string): void {
    this.#stats.dropped += lines;
    this.#stats.droppedBy[reason] = (this.#stats.droppedBy[reason] ?? 0) + lines;
  }

  #onHeartbeat(): void {
    // ws README "How to detect and close broken connections": no pong since the last ping = dead.
    for (const c of this.#clients) {
      if (!c.alive) {
        clearTimeout(c.helloTimer);
        this.#clients.delete(c);
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
