import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostClock } from '../../../daemon/core/host-time.ts';
import { EventBus } from '../../../daemon/pipeline/event-bus.ts';
import { OtelSink } from '../../../daemon/telemetry/otel-sink.ts';
import { BOARD, seedScenario } from './seed-boot-messages.ts';
import { stubRuntime } from './stub-runtime.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Prometheus /metrics', () => {
  let sink: OtelSink;
  let metricsPort: number;
  let tmp: string;
  let prometheus: ChildProcess | undefined;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'uartscope-prom-'));
    metricsPort = await freePort();
    sink = new OtelSink({ prometheus: { enabled: true, listen: `127.0.0.1:${metricsPort}` }, board: BOARD, env: {} });
    const bus = new EventBus();
    await sink.start(bus, stubRuntime({ capture: { received: 10, delivered: 7, dropped: 3, droppedBy: { queue_full: 3 }, errors: 0, depth: 0, capacity: 8 } }));
    for (const m of seedScenario(hostClock.now() - 60_000_000).messages) bus.publish(m);
    await sink.flush(2000);
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    await sink.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function scrape(): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  }

  it('serves the drift ratio, counters ending in _total and queue drops per sink', async () => {
    const text = await scrape();
    expect(text).toMatch(/^uartscope_clock_drift_ratio\{port="console",source="log".*\} 0\.125$/m);
    expect(text).toMatch(/^uartscope_clock_drift_ppm\{port="console",source="log".*\} -875000$/m);
    expect(text).toMatch(/^# TYPE uartscope_lines_total counter$/m);
    expect(text).toMatch(/^uartscope_resets_total\{port="console".*\} 1$/m);
    expect(text).toMatch(/^uartscope_wifi_connect_failures_total\{port="console",errno="ENETDOWN".*\} 1$/m);
    expect(text).toMatch(/^uartscope_sink_dropped_total\{sink="capture",reason="queue_full".*\} 3$/m);
    expect(text).toMatch(/^uartscope_boot_connect_duration_seconds_count\{port="console".*\} 1$/m);
  });

  it('passes promtool check metrics', async () => {
    const text = await scrape();
    const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('is scraped by a real Prometheus, whose query API returns the drift ratio', async () => {
    const webPort = await freePort();
    const config = join(tmp, 'prometheus.yml');
    writeFileSync(config, [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: uartscope',
      `    static_configs: [{ targets: ["127.0.0.1:${metricsPort}"], labels: { bench: bench-7 } }]`,
      '',
    ].join('\n'));
    prometheus = spawn('/usr/bin/prometheus', [
      `--config.file=${config}`, `--storage.tsdb.path=${join(tmp, 'tsdb')}`, `--web.listen-address=127.0.0.1:${webPort}`,
    ], { stdio: 'ignore' });
    let result: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    // Prometheus needs a few seconds to start and scrape twice; bounded polling, no timing asserted.
    for (let i = 0; i < 60 && result.length === 0; i++) {
      await sleep(500);
      try {
        const res = await fetch(`http://127.0.0.1:${webPort}/api/v1/query?query=${encodeURIComponent('uartscope_clock_drift_ratio{port="console"}')}`);
        if (res.ok) result = ((await res.json()) as { data: { result: typeof result } }).data.result;
      } catch {
        // not listening yet
      }
    }
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({ __name__: 'uartscope_clock_drift_ratio', port: 'console', source: 'log', bench: 'bench-7', job: 'uartscope' });
    expect(Number(result[0]!.value[1])).toBe(0.125);
  });
});
