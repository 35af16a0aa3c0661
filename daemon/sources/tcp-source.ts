import { Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { HostClock } from '../core/host-time.ts';
import { backoffMs, stateReporter, type Source, type SourceItem } from './source.ts';

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
    const report = stateReporter(sub, options.clock);
    const connect = () => {
      if (stopped) return;
      const socket = new Socket();
      socket.setNoDelay(true);
      socket.on('connect', () => {
        current = socket;
        attempt = 0;
        report.connected(where);
      });
      socket.on('data', (bytes: Buffer) => sub.next({ type: 'data', bytes, at: options.clock.now() }));
      let failure = '';
      socket.on('error', (err) => { failure = err.message; });
      socket.on('close', () => {
        current = undefined;
        if (stopped) return;
        report.retrying(`port ${options.port} (${where}): ${failure ? `connection failed: ${failure}` : 'disconnected'}`);
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
