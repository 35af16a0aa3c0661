import { z } from 'zod';

/** `HOST:PORT`, `[IPv6]:PORT`; port 0 picks a free port (tests, `--http 127.0.0.1:0`). */
const LISTEN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export const httpSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve the dashboard, its WebSocket and the history API'),
    listen: z
      .string()
      .regex(LISTEN, 'HOST:PORT, e.g. 127.0.0.1:7878 or [::1]:7878')
      .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, 'port must be 0..65535')
      .default('127.0.0.1:7878')
      .describe('Address of the dashboard (HOST:PORT; --http overrides it). Any address other than loopback requires the token in <data>/token'),
    allow_write: z
      .boolean()
      .default(false)
      .describe('Let an authenticated dashboard client write to serial ports. Off by default: nothing a browser sends reaches a device'),
    ring_lines_per_port: z.number().int().min(100).max(1_000_000).default(5000).describe('Recent lines kept per port for snapshots and resume after a reconnect (lines)'),
    snapshot_lines_per_port: z.number().int().min(0).max(1_000_000).default(1000).describe('Recent lines per port sent to a newly connected client (lines; at most ring_lines_per_port)'),
    recent_events: z.number().int().min(10).max(100_000).default(1000).describe('Recent events kept for the snapshot (events)'),
    batch_interval_ms: z.number().int().min(50).max(5000).default(50).describe('Live deltas are batched and sent at most once per interval (ms); 50 ms = 20 batches/s'),
    client_buffer_max_bytes: z
      .number()
      .int()
      .min(16 * 1024)
      .max(1 << 30)
      .default(8 * 1024 * 1024)
      .describe('A client whose unsent data (ws bufferedAmount) exceeds this gets no more deltas, then a gap notice and a fresh snapshot once it has drained (bytes)'),
    max_message_bytes: z.number().int().min(256).max(1 << 20).default(16 * 1024).describe('Largest message a client may send (bytes, ws maxPayload); larger closes the connection with 1009'),
    max_clients: z.number().int().min(1).max(10_000).default(64).describe('Concurrent WebSocket clients; more are refused with 503'),
    heartbeat_interval_ms: z.number().int().min(100).max(600_000).default(15_000).describe('Ping every client this often; a client that did not answer the previous ping is closed (ms)'),
    hello_timeout_ms: z.number().int().min(0).max(60_000).default(1000).describe('A client that sends no hello (with its resume point) within this time gets a full snapshot (ms)'),
  })
  .prefault({})
  .describe('Dashboard HTTP server and WebSocket');

export type HttpConfig = z.infer<typeof httpSchema>;
