import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPtyDevice, waitFor } from '../../helpers/pty-device.ts';
import { readCapture } from '../../helpers/read-capture.ts';
import { startCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('stopping the daemon', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops cleanly on ${signal}: exit 0, queues drained, the capture closed with a marker`, async () => {
      const dir = tempDir();
      const dev = await startPtyDevice(join(dir, 'tty'));
      try {
        const run = startCli(['run', '--port', `console=${dev.link},role=zephyr`, '--data', join(dir, 'data'), '--no-http', '--no-metrics', '--quiet']);
        await waitFor(() => run.stdout.includes('watching'), 20_000);
        await new Promise((r) => setTimeout(r, 300));
        await dev.write('[00:00:00.000,000] <inf> main: last words\r\n');
        await new Promise((r) => setTimeout(r, 300));
        run.child.kill(signal);
        expect(await run.exited).toBe(0);
        expect(run.stdout).toContain(`stopped (${signal})`);
        const entries = readCapture(join(dir, 'data'), 'console');
        expect(entries.some((e) => e.kind === 'line' && Buffer.from(e.bytes).toString().includes('last words'))).toBe(true);
        expect(entries.at(-1)).toMatchObject({ kind: 'marker', marker: 'close' });
      } finally {
        await dev.unplug();
      }
    });
  }

  it('stops the demo on a signal to its whole process group (Ctrl-C, npm, systemd) without its own board unplugging first', async () => {
    const dir = tempDir();
    const run = startCli(['demo', '--data', join(dir, 'data'), '--no-http', '--no-metrics', '--scenario', 'healthy'], { detached: true });
    await waitFor(() => run.stdout.includes('watching'), 20_000);
    await waitFor(() => run.stdout.includes('wifi_esp_at'), 20_000);
    process.kill(-run.child.pid!, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout).toContain('stopped (SIGTERM)');
    expect(run.stdout).not.toContain('disconnected');
    for (const port of ['hv', 'console', 'esp']) {
      const markers = readCapture(join(dir, 'data'), port).flatMap((e) => (e.kind === 'marker' ? [e.marker] : []));
      expect(markers).toEqual(['open', 'close']);
    }
  });
});
