import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../daemon/config/load-config.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';
import { startDaemon, type Daemon } from '../../../daemon/daemon.ts';
import { startPtyDevice, waitFor, type PtyDevice } from '../../helpers/pty-device.ts';
import { captureLines, captureText, readCapture } from '../../helpers/read-capture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const running: Array<{ stop(): Promise<void> }> = [];
const devices: PtyDevice[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop();
  for (const d of devices.splice(0)) await d.unplug().catch(() => {});
});

type IngestThread = 'worker' | 'main';

async function daemonOn(dir: string, ports: Array<{ name: string; source: string; role?: string }>, thread: IngestThread = 'worker', pipeline: Record<string, unknown> = {}) {
  const messages: BusMessage[] = [];
  const problems: string[] = [];
  const daemon: Daemon = await startDaemon({
    config: parseConfig({ ports: ports.map((p) => ({ baud: 115200, role: 'zephyr', ...p })), framing: { idle_flush_ms: 100 }, pipeline: { ingest_thread: thread, ...pipeline } }),
    dataDir: join(dir, 'data'),
    onProblem: (m) => problems.push(m),
  });
  daemon.bus.messages$.subscribe((m) => messages.push(m));
  running.push(daemon);
  return { daemon, messages, problems };
}

const lines = (ms: BusMessage[], port?: string) => ms.flatMap((m) => (m.type === 'line' && (!port || m.line.port === port) ? [m.line] : []));
// Consecutive statuses of one state differ only in their reason (e.g. `disconnected`, then `ENOENT` while retrying).
const states = (ms: BusMessage[]) => ms.flatMap((m) => (m.type === 'status' ? [m.status.state] : [])).filter((s, i, all) => s !== all[i - 1]);

/** Descriptors of this process open on a pseudo terminal. */
const ptyDescriptors = () => readdirSync('/proc/self/fd').flatMap((fd) => {
  try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith('/dev/pts/') ? [fd] : []; } catch { return []; }
});

describe.each<IngestThread>(['worker', 'main'])('ingest through real pseudo terminals (ingest thread: %s)', (thread) => {
  it('reads several ports at once, stamps and captures every line', async () => {
    const dir = tempDir();
    const a = await startPtyDevice(join(dir, 'a'));
    const b = await startPtyDevice(join(dir, 'b'));
    devices.push(a, b);
    const { daemon, messages } = await daemonOn(dir, [{ name: 'console', source: a.link }, { name: 'hv', source: b.link, role: 'hypervisor' }], thread);
    await waitFor(() => daemon.runtime.ports().every((p) => p.state === 'connected'));
    await a.write('[00:00:00.000,000] <inf> main: one\r\n[00:00:00.001,000] <inf> main: two\r\n');
    await b.write('Bao Hypervisor\r\nBAO ERROR: failed to register sau entry');
    expect(await waitFor(() => lines(messages).length >= 4)).toBe(true);
    expect(lines(messages, 'console').map((l) => [l.seq, l.text])).toEqual([[0, '[00:00:00.000,000] <inf> main: one'], [1, '[00:00:00.001,000] <inf> main: two']]);
    const hv = lines(messages, 'hv');
    expect(hv.map((l) => l.text)).toEqual(['Bao Hypervisor', 'BAO ERROR: failed to register sau entry']);
    expect(hv[1]!.flags.partial).toBe(true);
    await daemon.stop();
    expect(captureText(readCapture(join(dir, 'data'), 'console'))).toEqual(['[00:00:00.000,000] <inf> main: one\r\n', '[00:00:00.001,000] <inf> main: two\r\n']);
  });

  it('survives an unplug and a replug: markers in the capture, events on the bus, seq and time base continue', async () => {
    const dir = tempDir();
    let dev = await startPtyDevice(join(dir, 'tty'));
    const { daemon, messages } = await daemonOn(dir, [{ name: 'console', source: dev.link }], thread);
    await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected');
    await dev.write('before\r\n');
    await waitFor(() => lines(messages).length === 1);
    await dev.unplug();
    expect(await waitFor(() => daemon.runtime.ports()[0]!.state === 'retrying')).toBe(true);
    dev = await startPtyDevice(join(dir, 'tty'));
    devices.push(dev);
    expect(await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected')).toBe(true);
    await dev.write('after\r\n');
    expect(await waitFor(() => lines(messages).length === 2)).toBe(true);
    const [before, after] = lines(messages);
    expect([before!.seq, after!.seq]).toEqual([0, 1]);
    expect(after!.hostTime).toBeGreaterThan(before!.hostTime);
    expect(states(messages)).toEqual(['connected', 'retrying', 'connected']);
    expect(daemon.runtime.ports()[0]!.reconnects).toBe(1);
    await daemon.stop();
    const markers = readCapture(join(dir, 'data'), 'console').flatMap((e) => (e.kind === 'marker' ? [e.marker] : []));
    expect(markers.filter((m) => m !== 'retrying')).toEqual(['open', 'disconnected', 'reconnected', 'close']);
  });

  it('waits for a port that is missing at start, and opens it when it appears', async () => {
    const dir = tempDir();
    const { daemon, messages, problems } = await daemonOn(dir, [{ name: 'late', source: join(dir, 'late') }], thread);
    expect(await waitFor(() => problems.some((p) => p.includes('port late') && p.includes('ENOENT')))).toBe(true);
    expect(daemon.runtime.ports()[0]!.state).toBe('retrying');
    const dev = await startPtyDevice(join(dir, 'late'));
    devices.push(dev);
    expect(await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected')).toBe(true);
    await dev.write('hello\n');
    expect(await waitFor(() => lines(messages).length === 1)).toBe(true);
  });

  it('names a busy port and its cause while the other ports carry on', async () => {
    const dir = tempDir();
    const busy = await startPtyDevice(join(dir, 'busy'));
    const free = await startPtyDevice(join(dir, 'free'));
    devices.push(busy, free);
    // Another program holds the port (serialport takes an exclusive lock, like tio and minicom do).
    const holder = new SerialPort({ path: busy.link, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => holder.open((e) => (e ? reject(e) : resolve())));
    running.push({ stop: () => new Promise<void>((r) => holder.close(() => r())) });
    const { daemon, messages, problems } = await daemonOn(dir, [{ name: 'busy', source: busy.link }, { name: 'free', source: free.link }], thread);
    expect(await waitFor(() => problems.some((p) => p.startsWith('port busy') && p.includes('busy: another program')))).toBe(true);
    await waitFor(() => daemon.runtime.ports()[1]!.state === 'connected');
    await free.write('still here\r\n');
    expect(await waitFor(() => lines(messages, 'free').length === 1)).toBe(true);
    expect(daemon.runtime.ports()[0]!.state).toBe('retrying');
  });

  it('holds the port exclusively while it reads it, and leaves no descriptor behind after a replug and a stop', async () => {
    const dir = tempDir();
    const before = ptyDescriptors();
    let dev = await startPtyDevice(join(dir, 'tty'));
    const { daemon, messages } = await daemonOn(dir, [{ name: 'console', source: dev.link }], thread);
    await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected');
    // tio, minicom and serialport lock the port; they must find it taken, or they would split its bytes with us.
    const other = new SerialPort({ path: dev.link, baudRate: 115200, autoOpen: false });
    const refused = await new Promise<Error | null>((resolve) => other.open(resolve));
    expect(refused?.message).toMatch(/cannot lock port/i);
    await dev.unplug();
    expect(await waitFor(() => daemon.runtime.ports()[0]!.state === 'retrying')).toBe(true);
    dev = await startPtyDevice(join(dir, 'tty'));
    devices.push(dev);
    expect(await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected')).toBe(true);
    await dev.write('again\r\n');
    expect(await waitFor(() => lines(messages).length === 1)).toBe(true);
    await daemon.stop();
    expect(ptyDescriptors()).toEqual(before);
  });

  it('writes to the device through the port it reads, and notes it in the capture', async () => {
    const dir = tempDir();
    const dev = await startPtyDevice(join(dir, 'tty'));
    devices.push(dev);
    const { daemon } = await daemonOn(dir, [{ name: 'console', source: dev.link }], thread);
    await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected');
    await daemon.runtime.writePort('console', Buffer.from('kernel uptime\r\n'));
    expect(await waitFor(() => Buffer.concat(dev.received).toString().includes('kernel uptime\r\n'))).toBe(true);
    await expect(daemon.runtime.writePort('nope', Buffer.from('x'))).rejects.toThrow(/no port named "nope"/);
    await daemon.stop();
    const tx = readCapture(join(dir, 'data'), 'console').flatMap((e) => (e.kind === 'marker' && e.marker === 'tx' ? [e.detail] : []));
    expect(tx).toEqual(['kernel uptime\r\n']);
  });
});
