import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

/**
 * A real OTLP/HTTP receiver for tests (127.0.0.1, port 0): accepts `application/json` and
 * `application/x-protobuf` on /v1/traces, /v1/logs, /v1/metrics, decodes protobuf with the
 * schemas in ./otlp-proto, and normalises both encodings to one shape to assert on. It can be
 * told to answer slowly or with 500, and be stopped and started again on the same port.
 */

export type AttrMap = Record<string, unknown>;

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly attributes: AttrMap;
  readonly events: ReadonlyArray<{ readonly name: string; readonly timeNs: bigint; readonly attributes: AttrMap }>;
  readonly status: { readonly code: number; readonly message: string };
  readonly resource: AttrMap;
}

export interface ReceivedLog {
  readonly timeNs: bigint;
  readonly observedNs: bigint;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: unknown;
  readonly attributes: AttrMap;
  readonly traceId: string;
  readonly spanId: string;
  readonly resource: AttrMap;
}

export interface ReceivedPoint {
  readonly name: string;
  readonly unit: string;
  readonly type: 'sum' | 'gauge' | 'histogram';
  readonly attributes: AttrMap;
  readonly value?: number;
  readonly count?: number;
  readonly sum?: number;
  readonly resource: AttrMap;
}

export interface ReceivedRequest {
  readonly path: string;
  readonly contentType: string;
  readonly raw: Buffer;
}

export type ReceiverMode = { readonly kind: 'ok' } | { readonly kind: 'slow'; readonly delayMs: number } | { readonly kind: 'status'; readonly status: number };

const protoDir = join(dirname(fileURLToPath(import.meta.url)), 'otlp-proto');
const root = new protobuf.Root().loadSync(join(protoDir, 'collector.proto'));
const TYPES = {
  '/v1/traces': root.lookupType('opentelemetry.proto.collector.v1.ExportTraceServiceRequest'),
  '/v1/logs': root.lookupType('opentelemetry.proto.collector.v1.ExportLogsServiceRequest'),
  '/v1/metrics': root.lookupType('opentelemetry.proto.collector.v1.ExportMetricsServiceRequest'),
} as const;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export class OtlpReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly spans: ReceivedSpan[] = [];
  readonly logs: ReceivedLog[] = [];
  readonly points: ReceivedPoint[] = [];
  mode: ReceiverMode = { kind: 'ok' };
  /** Bytes accepted, also when not decoding. */
  bytesReceived = 0;
  readonly #decode: boolean;
  #server: Server | undefined;
  #port = 0;
  #pending = new Set<NodeJS.Timeout>();

  /** `decode: false` only counts bytes (benchmarks: decoding would compete with the code measured). */
  constructor(options: { readonly decode?: boolean } = {}) {
    this.#decode = options.decode ?? true;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Listens on 127.0.0.1: port 0 the first time, the same port after a stop. */
  async start(): Promise<void> {
    const server = createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Closes the port; open connections are cut, delayed answers never come. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const t of this.#pending) clearTimeout(t);
    this.#pending.clear();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every byte received, for "this never left the process" checks. */
  allBytes(): Buffer {
    return Buffer.concat(this.requests.map((r) => r.raw));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const contentType = String(req.headers['content-type'] ?? '');
      const path = (req.url ?? '').split('?')[0] ?? '';
      const json = contentType.includes('json');
      const answer = (): void => {
        if (this.mode.kind === 'status') {
          res.writeHead(this.mode.status, { 'content-type': 'text/plain' });
          res.end('receiver told to fail');
          return;
        }
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        res.end(json ? '{}' : '');
      };
      // Recorded only when accepted: a 500 or a too-slow answer means "not received".
      if (this.mode.kind === 'ok') {
        this.bytesReceived += body.length;
        if (this.#decode) this.#record(path, contentType, body, json);
      }
      if (this.mode.kind === 'slow') {
        const delay = this.mode.delayMs;
        const t = setTimeout(() => {
          this.#pending.delete(t);
          if (!res.destroyed) answer();
        }, delay);
        this.#pending.add(t);
      } else answer();
    });
  }

  /** Records one accepted request body; also the entry point of a gRPC receiver (protobuf, HTTP path of the signal). */
  accept(path: '/v1/traces' | '/v1/logs' | '/v1/metrics', contentType: string, body: Buffer): void {
    this.bytesReceived += body.length;
    this.#record(path, contentType, body, contentType.includes('json'));
  }

  #record(path: string, contentType: string, body: Buffer, json: boolean): void {
    this.requests.push({ path, contentType, raw: body });
    let message: Obj;
    if (json) message = JSON.parse(body.toString('utf8')) as Obj;
    else {
      const type = TYPES[path as keyof typeof TYPES];
      if (!type) return;
      message = type.toObject(type.decode(body), { longs: String, enums: Number, bytes: String, defaults: false, oneofs: false }) as Obj;
    }
    const idHex = (v: unknown): string => {
      if (typeof v !== 'string' || v === '') return '';
      // OTLP/JSON carries ids as hex; protobufjs turns bytes into base64.
      return json ? v.toLowerCase() : Buffer.from(v, 'base64').toString('hex');
    };
    if (path === '/v1/traces') {
      for (const rs of asArr(message.resourceSpans)) {
        const resource = attrs(asObj(rs.resource).attributes);
        for (const ss of asArr(rs.scopeSpans)) {
          for (const s of asArr(ss.spans)) {
            const status = asObj(s.status);
            this.spans.push({
              traceId: idHex(s.traceId), spanId: idHex(s.spanId), parentSpanId: idHex(s.parentSpanId),
              name: String(s.name ?? ''), startNs: nanos(s.startTimeUnixNano), endNs: nanos(s.endTimeUnixNano),
              attributes: attrs(s.attributes),
              events: asArr(s.events).map((e) => ({ name: String(e.name ?? ''), timeNs: nanos(e.timeUnixNano), attributes: attrs(e.attributes) })),
              status: { code: Number(status.code ?? 0), message: String(status.message ?? '') },
              resource,
            });
          }
        }
      }
    } else if (path === '/v1/logs') {
      for (const rl of asArr(message.resourceLogs)) {
        const resource = attrs(asObj(rl.resource).attributes);
        for (const sl of asArr(rl.scopeLogs)) {
          for (const l of asArr(sl.logRecords)) {
            this.logs.push({
              timeNs: nanos(l.timeUnixNano), observedNs: nanos(l.observedTimeUnixNano),
              severityNumber: Number(l.severityNumber ?? 0), severityText: String(l.severityText ?? ''),
              body: anyValue(l.body), attributes: attrs(l.attributes),
              traceId: idHex(l.traceId), spanId: idHex(l.spanId), resource,
            });
          }
        }
      }
    } else if (path === '/v1/metrics') {
      for (const rm of asArr(message.resourceMetrics)) {
        const resource = attrs(asObj(rm.resource).attributes);
        for (const sm of asArr(rm.scopeMetrics)) {
          for (const m of asArr(sm.metrics)) {
            const name = String(m.name ?? '');
            const unit = String(m.unit ?? '');
            for (const type of ['sum', 'gauge', 'histogram'] as const) {
              for (const p of asArr(asObj(m[type]).dataPoints)) {
                const value = p.asDouble !== undefined ? Number(p.asDouble) : p.asInt !== undefined ? Number(p.asInt) : undefined;
                this.points.push({
                  name, unit, type, attributes: attrs(p.attributes), resource,
                  ...(value !== undefined ? { value } : {}),
                  ...(type === 'histogram' ? { count: Number(p.count ?? 0), sum: Number(p.sum ?? 0) } : {}),
                });
              }
            }
          }
        }
      }
    }
  }
}

function nanos(v: unknown): bigint {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return BigInt(v);
  // OTLP/JSON from some encoders: {low, high} longs.
  const o = asObj(v);
  if (typeof o.low === 'number' && typeof o.high === 'number') return (BigInt(o.high >>> 0) << 32n) | BigInt(o.low >>> 0);
  return 0n;
}

function anyValue(v: unknown): unknown {
  const o = asObj(v);
  if ('stringValue' in o) return o.stringValue;
  if ('boolValue' in o) return o.boolValue;
  if ('intValue' in o) return Number(o.intValue);
  if ('doubleValue' in o) return Number(o.doubleValue);
  if ('arrayValue' in o) return asArr(asObj(o.arrayValue).values).map(anyValue);
  if ('kvlistValue' in o) return attrs(asObj(o.kvlistValue).values);
  return undefined;
}

function attrs(list: unknown): AttrMap {
  const out: AttrMap = {};
  for (const kv of asArr(list)) out[String(kv.key)] = anyValue(kv.value);
  return out;
}
