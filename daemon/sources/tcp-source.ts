import { Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { HostClock } from '../core/host-time.ts';
import { backoffMs, type Source, type SourceItem } from './source.ts';

export interface TcpSourceOptions {
  readonly port: string;
  readonly host: string;
  readonly tcpPort: number;
  readonly clock: HostClock;
}

/** A raw TCP serial server (ser2net `raw`/`telnet`-less, or any socket that streams the UART), reconnected with backoff. */
export function tcpSource(options: TcpSourceOptions): Source {
  let current: Socket | undefined;
  const where = `tcp://${options.host}:${options.tcpPort}`;
  const items$ = new Observable<SourceItem>((sub) => {
    let stopped = false;
    let attempt = 0;
    let timer: NodeJS.Timeout | undefined;
    let wasConnected = false;
    let lastReason = '';
    const connect = () => {
      if (stopped) return;
      const socket = new Socket();
      socket.setNoDelay(true);
      socket.on('connect', () => {
        current = socket;
        attempt = 0;
        lastReason = '';
        sub.next({ type: 'state', state: 'connected', at: options.clock.now(), path: where, ...(wasConnected ? { reason: 'reconnected' } : {}) });
        wasConnected = true;
      });
      socket.on('data', (bytes: Buffer) => sub.next({ type: 'data', bytes, at: options.clock.now() }));
      let failure = '';
      socket.on('error', (err) => { failure = err.message; });
      socket.on('close', () => {
        current = undefined;
        if (stopped) return;
        const reason = `port ${options.port} (${where}): ${failure ? `connection failed: ${failure}` : 'disconnected'}`;
        if (reason !== lastReason) {
          lastReason = reason;
          sub.next({ type: 'state', state: 'retrying', at: options.clock.now(), reason });
        }
        timer = setTimeout(connect, backoffMs(attempt++));
      });
      socket.connect(options.tcpPort, options.host);
    };
    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      current?.destroy();
    };
  });
  return {
    kind: 'tcp',
    items$,
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (!current) return reject(new Error(`port ${options.port} is not connected`));
        current.write(bytes, (err) => (err ? reject(err) : resolve()));
      }),
  };
}
