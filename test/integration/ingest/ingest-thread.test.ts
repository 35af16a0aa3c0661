import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../daemon/config/load-config.ts';
import { HostClock } from '../../../daemon/core/host-time.ts';
import { startDaemon } from '../../../daemon/daemon.ts';
import { createWorkerIngest } from '../../../daemon/ingest/worker-ingest.ts';
import { startPtyDevice, waitFor, type PtyDevice } from '../../helpers/pty-device.ts';
import { captureLines, readCapture } from '../../helpers/read-capture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const devices: PtyDevice[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.unplug().catch(() => {});
});

describe('the ingest thread', () => {
  it('reads and captures while the main thread is stalled, and bounds what waits for it by dropping from analysis only', async () => {
    const dir = tempDir();
    const dev = await startPtyDevice(join(dir, 'tty'));
    devices.push(dev);
    const dataDir = join(dir, 'data');
    const daemon = await startDaemon({
      config: parseConfig({ ports: [{ name: 'console', source: dev.link, baud: 115200, role: 'zephyr' }], pipeline: { analysis_queue_lines: 1024 } }),
      dataDir,
    });
    const onBus: number[] = [];
    daemon.bus.messages$.subscribe((m) => { if (m.type === 'line') onBus.push(m.line.seq); });
    expect(await waitFor(() => daemon.runtime.ports()[0]!.state === 'connected')).toBe(true);
    // 1500 lines (57 KB, within a pipe's 64 KB) handed to the device before the main thread stalls.
    const sent = 1500;
    let text = '';
    for (let n = 0; n < sent; n++) text += `[00:00:00.000,000] <inf> main: n=${String(n).padStart(5, '0')}\r\n`;
    await dev.write(text);

    // Stall the main thread (a long GC, a slow sink) for up to 3 s, looking at the capture meanwhile.
    let capturedWhileStalled = 0;
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      capturedWhileStalled = captureLines(readCapture(dataDir, 'console')).length;
      if (capturedWhileStalled === sent) break;
      const spin = Date.now() + 50;
      while (Date.now() < spin) { /* busy: no event loop turn */ }
    }
    expect(capturedWhileStalled).toBe(sent);

    // The lines beyond the bound were dropped from analysis, counted, and the rest arrived in order.
    expect(await waitFor(() => onBus.length + daemon.runtime.ports()[0]!.dropped >= sent)).toBe(true);
    const { dropped } = daemon.runtime.ports()[0]!;
    expect(dropped).toBeGreaterThan(0);
    expect(onBus.length).toBeLessThanOrEqual(1024 + 512);
    expect(onBus.length + dropped).toBe(sent);
    expect(onBus).toEqual([...onBus].sort((a, b) => a - b));
    await daemon.stop();
    expect(captureLines(readCapture(dataDir, 'console')).map((l) => l.seq)).toEqual(Array.from({ length: sent }, (_, i) => i));
  });
});

describe.each(['worker', 'main'] as const)('a replay at max speed (ingest thread: %s)', (thread) => {
  it('goes at the pace analysis takes its lines and drops none, however small the bound', async () => {
    const dir = tempDir();
    // 20,000 lines: twenty times the smallest bound analysis may have.
    const file = join(dir, 'big.log');
    let text = '';
    for (let n = 0; n < 20_000; n++) text += `[00:00:${String(Math.floor(n / 1000) % 60).padStart(2, '0')}.${String(n % 1000).padStart(3, '0')},000] <inf> app: n=${n}\n`;
    writeFileSync(file, text);
    const daemon = await startDaemon({
      config: parseConfig({ ports: [{ name: 'console', source: `replay:${file}?speed=max`, role: 'zephyr' }], pipeline: { analysis_queue_lines: 1024, ingest_thread: thread } }),
      dataDir: join(dir, 'data'),
    });
    let onBus = 0;
    daemon.bus.messages$.subscribe((m) => { if (m.type === 'line') onBus++; });
    await daemon.sourcesDone;
    expect(daemon.runtime.ports()[0]!.dropped).toBe(0);
    expect(onBus).toBe(20_000);
    await daemon.stop();
  });
});

describe('starting the ingest thread', () => {
  it('rejects with the reason when the thread cannot build its ports, and leaves nothing unhandled', async () => {
    const config = parseConfig({ ports: [{ name: 'a', source: '/dev/null' }] });
    const problems: string[] = [];
    const start = createWorkerIngest({
      config: { ...config, ports: [config.ports[0]!, config.ports[0]!] },
      dataDir: join(tempDir(), 'data'), clock: new HostClock(), firstSeq: () => undefined,
      onItem: () => {}, onProblem: (m) => problems.push(m), openSerial: async () => ({ ok: false, reason: 'unused' }), hasRoom: () => true,
    });
    await expect(start).rejects.toThrow('port names must be unique: "a" appears twice');
    expect(problems).toEqual([]);
  });
});
