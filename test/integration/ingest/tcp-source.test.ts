import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../daemon/config/load-config.ts';
import { startDaemon } from '../../../daemon/daemon.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';
import { waitFor } from '../../helpers/pty-device.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

describe('a raw TCP serial server as a source (ser2net raw)', () => {
  it('reads lines, reconnects after the server drops the connection, and can be written to', async () => {
    const dir = tempDir();
    const sockets: Socket[] = [];
    const fromDaemon: string[] = [];
    const server = createServer((s) => { sockets.push(s); s.on('data', (d) => fromDaemon.push(d.toString())); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
    const { port } = server.address() as { port: number };
    const daemon = await startDaemon({ config: parseConfig({ ports: [{ name: 'net', source: `tcp://127.0.0.1:${port}`, role: 'zephyr' }] }), dataDir: join(dir, 'data') });
    cleanups.push(() => daemon.stop());
    const messages: BusMessage[] = [];
    daemon.bus.messages$.subscribe((m) => messages.push(m));
    const lines = () => messages.flatMap((m) => (m.type === 'line' ? [m.line.text] : []));

    await waitFor(() => sockets.length === 1);
    sockets[0]!.write('*** Booting Zephyr OS build v3.7.0 ***\r\n');
    expect(await waitFor(() => lines().length === 1)).toBe(true);
    sockets[0]!.destroy();
    expect(await waitFor(() => daemon.runtime.ports()[0]!.state === 'retrying')).toBe(true);
    expect(await waitFor(() => sockets.length === 2 && daemon.runtime.ports()[0]!.state === 'connected')).toBe(true);
    sockets[1]!.write('after reconnect\n');
    expect(await waitFor(() => lines().length === 2)).toBe(true);
    expect(messages.flatMap((m) => (m.type === 'line' ? [m.line.seq] : []))).toEqual([0, 1]);
    await daemon.runtime.writePort('net', Buffer.from('help\r\n'));
    expect(await waitFor(() => fromDaemon.join('') === 'help\r\n')).toBe(true);
  });
});
