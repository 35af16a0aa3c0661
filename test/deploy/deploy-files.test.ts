import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hostClock } from '../../daemon/core/host-time.ts';
import { EventBus } from '../../daemon/pipeline/event-bus.ts';
import { OtelSink } from '../../daemon/telemetry/otel-sink.ts';
import { seedScenario } from '../integration/telemetry/seed-boot-messages.ts';
import { stubRuntime } from '../integration/telemetry/stub-runtime.ts';

const deploy = resolve(dirname(fileURLToPath(import.meta.url)), '../../deploy');
const read = (p: string): string => readFileSync(join(deploy, p), 'utf8');
type Obj = Record<string, unknown>;

function run(cmd: string, args: string[], cwd = deploy): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/**
 * Components of otel/opentelemetry-collector-contrib (the image compose.yaml pins) that the
 * lab config may use. Each is in that image's build manifest (opentelemetry-collector-releases,
 * distributions/otelcol-contrib/manifest.yaml): adding one to the config means checking it
 * there and adding it here.
 */
const CONTRIB_COMPONENTS = {
  receivers: ['otlp', 'prometheus', 'hostmetrics', 'filelog'],
  processors: ['batch', 'memory_limiter', 'resource', 'attributes', 'resourcedetection', 'filter', 'transform'],
  exporters: ['otlp', 'otlphttp', 'prometheus', 'prometheusremotewrite', 'debug'],
  extensions: ['health_check', 'pprof', 'zpages'],
} as const;

/** Metric names the daemon really serves, scraped from a running OtelSink fed the seed story. */
let servedMetrics: Set<string>;
let servedText = '';

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const sink = new OtelSink({ prometheus: { enabled: true, listen: `127.0.0.1:${port}` }, otel: { resource_attributes: { bench: 'bench-7' } }, env: {} });
  const bus = new EventBus();
  try {
    await sink.start(bus, stubRuntime());
    for (const m of seedScenario(hostClock.now() - 60_000_000).messages) bus.publish(m);
    await sink.flush(2000);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    servedText = text;
    servedMetrics = new Set([...text.matchAll(/^([a-z_:][a-z0-9_:]*)[{ ]/gm)].map((m) => m[1]!));
  } finally {
    await sink.stop();
  }
});

/** `uartscope_*` names used in a PromQL text, histogram series mapped to their family's series. */
function metricNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\buartscope_[a-z0-9_]+/g)].map((m) => m[0]))];
}

describe('deploy/prometheus', () => {
  it('passes promtool check config, with the alert rules file found', () => {
    const r = run('/usr/bin/promtool', ['check', 'config', 'prometheus/prometheus.yml']);
    expect(r.out).toContain('SUCCESS: 1 rule files found');
    expect(r.status).toBe(0);
  });

  it('passes promtool check rules and its own rule unit tests (drift, reset loop, connect failures)', () => {
    const check = run('/usr/bin/promtool', ['check', 'rules', 'prometheus/alerts.yml']);
    expect(check.status).toBe(0);
    const test = run('/usr/bin/promtool', ['test', 'rules', 'prometheus/alerts.test.yml']);
    expect(test.out).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('can tell benches apart when scraping daemons directly: the bench resource attribute is a label', () => {
    expect(servedText).toMatch(/^uartscope_resets_total\{[^}]*bench="bench-7"[^}]*\} 1$/m);
  });

  it('alerts only on metric names the daemon serves', () => {
    const names = metricNames(read('prometheus/alerts.yml'));
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const n of names) expect(servedMetrics, n).toContain(n);
  });
});

describe('deploy/grafana', () => {
  const dashboard = JSON.parse(read('grafana/dashboards/uartscope-lab.json')) as Obj & { panels: Array<Obj & { targets: Obj[]; datasource: Obj }> };
  const datasources = parse(read('grafana/provisioning/datasources/uartscope.yaml')) as { datasources: Obj[] };

  it('has a dashboard of drift ratio per bench and port, resets, faults and boot durations', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => String(t.expr)));
    expect(exprs.some((e) => e.includes('uartscope_clock_drift_ratio'))).toBe(true);
    expect(dashboard.panels.find((p) => String(p.title).includes('drift ratio'))?.targets[0]?.legendFormat).toContain('{{bench}} {{port}}');
    for (const needed of ['uartscope_resets_total', 'uartscope_faults_total', 'uartscope_boot_connect_duration_seconds_bucket']) {
      expect(exprs.some((e) => e.includes(needed)), needed).toBe(true);
    }
  });

  it('queries only metrics the daemon serves, through provisioned data sources', () => {
    const uids = new Set(datasources.datasources.map((d) => d.uid));
    for (const p of dashboard.panels) expect(uids, String(p.title)).toContain(p.datasource.uid);
    const names = metricNames(read('grafana/dashboards/uartscope-lab.json'));
    for (const n of names) expect(servedMetrics, n).toContain(n);
    const provider = parse(read('grafana/provisioning/dashboards/uartscope.yaml')) as { providers: Array<{ options: { path: string } }> };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parse(read('compose.yaml')) as { services: Record<string, Obj & { ports?: string[]; volumes?: string[] }> };

  it('runs a collector, a trace store, Prometheus and Grafana', () => {
    const images = Object.values(compose.services).map((s) => String(s.image));
    expect(images.some((i) => i.startsWith('otel/opentelemetry-collector-contrib:'))).toBe(true);
    expect(images.some((i) => /^(jaegertracing\/|grafana\/tempo)/.test(i))).toBe(true);
    expect(images.some((i) => i.startsWith('prom/prometheus:'))).toBe(true);
    expect(images.some((i) => i.startsWith('grafana/grafana:'))).toBe(true);
  });

  it('publishes every port on 127.0.0.1 unless told otherwise, and mounts files that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const p of service.ports ?? []) expect(p, `${name}: ${p}`).toMatch(/^(127\.0\.0\.1|\$\{[A-Z_]+:-127\.0\.0\.1\}):\d+:\d+$/);
      for (const v of service.volumes ?? []) {
        const src = v.split(':')[0]!;
        if (src.startsWith('./')) expect(existsSync(join(deploy, src)), `${name}: ${src}`).toBe(true);
      }
    }
  });
});

describe('deploy/otel-collector.yaml', () => {
  const config = parse(read('otel-collector.yaml')) as Record<'receivers' | 'processors' | 'exporters' | 'extensions', Obj> & {
    service: { extensions?: string[]; pipelines: Record<string, Record<'receivers' | 'processors' | 'exporters', string[]>> };
  };

  it('uses only components that exist in the contrib image', () => {
    for (const kind of ['receivers', 'processors', 'exporters', 'extensions'] as const) {
      for (const id of Object.keys(config[kind] ?? {})) {
        const type = id.split('/')[0]!;
        expect(CONTRIB_COMPONENTS[kind] as readonly string[], `${kind}: ${id}`).toContain(type);
      }
    }
  });

  it('wires traces, logs and metrics from OTLP through defined components only', () => {
    const pipelines = config.service.pipelines;
    expect(Object.keys(pipelines).sort()).toEqual(['logs', 'metrics', 'traces']);
    for (const [name, p] of Object.entries(pipelines)) {
      expect(p.receivers, name).toContain('otlp');
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        for (const id of p[kind] ?? []) expect(Object.keys(config[kind]), `${name}.${kind}: ${id}`).toContain(id);
      }
    }
    for (const id of config.service.extensions ?? []) expect(Object.keys(config.extensions)).toContain(id);
  });
});

describe('deploy/uartscope.service', () => {
  const unit = read('uartscope.service');
  const keys = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
  }

  it('validates before start, restarts on failure, joins dialout and locks the system down', () => {
    expect(keys.get('ExecStartPre')?.[0]).toMatch(/uartscope\.js validate /);
    expect(keys.get('Restart')).toEqual(['on-failure']);
    expect(keys.get('SupplementaryGroups')).toEqual(['dialout']);
    expect(keys.get('ProtectSystem')).toEqual(['strict']);
    expect(keys.get('NoNewPrivileges')).toEqual(['true']);
    expect(keys.get('ReadWritePaths')).toEqual(['/var/lib/uartscope']);
    expect(keys.get('ExecStart')?.[0]).toContain('--data /var/lib/uartscope');
  });

  it('passes systemd-analyze verify', () => {
    const r = run('systemd-analyze', ['verify', join(deploy, 'uartscope.service')]);
    expect(r.out.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('deploy/99-uartscope.rules', () => {
  const rules = read('99-uartscope.rules');
  const active = rules.split('\n').filter((l) => l.trim() && !l.startsWith('#'));

  it('names each probe and adapter family, by serial number (CH340, which has none, by USB path)', () => {
    for (const [vid, pid] of [['1fc9', '0090'], ['1366', '1024'], ['10c4', 'ea60'], ['1a86', '7523']] as const) {
      const line = active.find((l) => l.includes(`ATTRS{idVendor}=="${vid}"`) && l.includes(`ATTRS{idProduct}=="${pid}"`));
      expect(line, `${vid}:${pid}`).toBeDefined();
      expect(line).toMatch(vid === '1a86' ? /SYMLINK\+="uartscope\/[a-z0-9]+-\$env\{ID_PATH\}"/ : /SYMLINK\+="uartscope\/[a-z0-9]+-\$env\{ID_SERIAL_SHORT\}-if\$env\{ID_USB_INTERFACE_NUM\}"/);
    }
    const ftdi = active.find((l) => l.includes('ATTRS{idVendor}=="0403"'));
    expect(ftdi).toMatch(/ID_SERIAL_SHORT/);
    expect(ftdi).not.toMatch(/idProduct/);
  });

  it('is made of well-formed key-operator-value pairs', () => {
    const pair = /^\s*[A-Z_]+(\{[A-Za-z_]+\})?\s*(==|!=|\+=|-=|:=|=)\s*"[^"]*"\s*$/;
    for (const line of active) {
      if (/^LABEL="[a-z_]+"$/.test(line)) continue;
      for (const part of line.split(/,\s*/)) expect(part, line).toMatch(pair);
    }
  });
});

describe('deploy/Dockerfile', () => {
  it('runs the daemon as a non-root user in dialout and documents device passthrough', () => {
    const file = read('Dockerfile');
    expect(file).toMatch(/^USER uartscope$/m);
    expect(file).toMatch(/--groups dialout/);
    expect(file).toMatch(/--device /);
    expect(file).toMatch(/^ENTRYPOINT \["node", "\/opt\/uartscope\/bin\/uartscope\.js"\]$/m);
    expect(existsSync(join(deploy, '../bin/uartscope.js'))).toBe(true);
  });
});
