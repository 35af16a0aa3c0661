import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captureLines, readCapture } from '../../helpers/read-capture.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const SEED = fileURLToPath(new URL('../../golden/parsers/seed-wifi-app-esp-reset-failure.log', import.meta.url));

describe('a restarted daemon', () => {
  it('continues boot and event history in the store and seq in the captures', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const args = ['run', '--port', `console=replay:${SEED}?speed=max,role=zephyr`, '--data', data, '--no-http', '--no-metrics', '--quiet'];
    expect((await runCli(args)).code).toBe(0);
    expect((await runCli(args)).code).toBe(0);

    const h = await runCli(['history', '--data', data, '--json']);
    expect(h.code).toBe(0);
    const history = JSON.parse(h.stdout) as { boots: Array<{ index: number; version?: string }>; events: Array<{ kind: string }> };
    // Two runs, one boot each, numbered on from the first run.
    expect(history.boots.map((b) => b.index).sort()).toEqual([0, 1]);
    expect(history.boots.every((b) => b.version === 'v4.1.0-1219-g584f2f86f905')).toBe(true);
    expect(history.events.filter((e) => e.kind === 'esp.reset_failed')).toHaveLength(2);
    expect(history.events.filter((e) => e.kind === 'wifi.connect_failed')).toHaveLength(2);

    const seqs = captureLines(readCapture(data, 'console')).map((l) => l.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBe(26);
  });
});

describe('history of a daemon run with a config', () => {
  it('reads the store where the config put it (data.dir and a custom store.file)', async () => {
    const dir = tempDir();
    const config = join(dir, 'bench.yaml');
    writeFileSync(config, [
      'data:', `  dir: ${join(dir, 'lab')}`,
      'store:', '  file: bench-7.db',
      'ports:', '  - name: console', `    source: replay:${SEED}?speed=max`, '    role: zephyr',
      'http:', '  enabled: false', 'prometheus:', '  enabled: false', '',
    ].join('\n'));
    expect((await runCli(['run', '--config', config, '--quiet'])).code).toBe(0);
    expect(existsSync(join(dir, 'lab', 'bench-7.db'))).toBe(true);

    const h = await runCli(['history', '--config', config, '--json']);
    expect(h.code).toBe(0);
    const history = JSON.parse(h.stdout) as { boots: unknown[]; events: Array<{ kind: string }> };
    expect(history.boots).toHaveLength(1);
    expect(history.events.some((e) => e.kind === 'esp.reset_failed')).toBe(true);

    // Without the config it looks in ./uartscope-data/uartscope.db and says so.
    const lost = await runCli(['history', '--data', join(dir, 'lab'), '--json']);
    expect(lost.code).toBe(2);
    expect(lost.stderr).toContain(`no store at ${join(dir, 'lab', 'uartscope.db')}`);
  });
});
