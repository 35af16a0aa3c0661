import type { Config } from '../config/schema.ts';
import type { Sink } from '../pipeline/sink.ts';
import type { HistoryQuery } from '../store/history-query.ts';
import type { Continuation } from '../daemon.ts';

export interface BuiltSinks {
  /** In stop order: alerts before the store, so resolved alerts are stored. */
  readonly sinks: Sink[];
  readonly history?: HistoryQuery;
  readonly continuation?: Continuation;
  /** Where things are, for the start-up line (dashboard URL, metrics URL). */
  readonly banner: string[];
  /** The dashboard's address once the daemon started (it knows its port only then). */
  dashboardUrl(): string | undefined;
  /** Releases what the sinks do not own (the store), after the daemon stopped. */
  close(): void;
}

export interface BuildSinksOptions {
  readonly config: Config;
  readonly dataDir: string;
  readonly io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
  readonly quiet: boolean | undefined;
}

/** The sinks a running daemon has besides the terminal: alerts, store, dashboard, OpenTelemetry, Prometheus. */
export async function buildSinks(options: BuildSinksOptions): Promise<BuiltSinks> {
  const { config, dataDir, io } = options;
  const sinks: Sink[] = [];
  const banner: string[] = [];
  const closers: Array<() => void> = [];

  const { AlertSink } = await import('../alerts/alert-sink.ts');
  sinks.push(new AlertSink(config.alerts, { onTerminal: (line) => io.stdout.write(`${line}\n`) }));

  let history: HistoryQuery | undefined;
  let continuation: Continuation | undefined;
  if (config.store.enabled) {
    const { openStore, storePath, storeOptionsFromConfig } = await import('../store/store.ts');
    const { StoreSink, storeSinkOptionsFromConfig } = await import('../store/store-sink.ts');
    const { isAbsolute } = await import('node:path');
    const store = openStore(isAbsolute(config.store.file) ? config.store.file : storePath(dataDir, config.store.file), storeOptionsFromConfig(config.store));
    sinks.push(new StoreSink(store, storeSinkOptionsFromConfig(config.store)));
    history = store.history;
    continuation = {
      firstSeq: (port) => { const s = store.lastSeq(port); return s === undefined ? undefined : s + 1; },
      nextBootIndex: (port) => { const b = store.lastBootIndex(port); return b === undefined ? undefined : b + 1; },
    };
    closers.push(() => store.close());
  }

  let dashboard: { readonly url: string } | undefined;
  if (config.http.enabled) {
    const { DashboardServer } = await import('../server/dashboard-server.ts');
    const server = new DashboardServer({ log: (m) => io.stderr.write(`${m}\n`) });
    sinks.push(server);
    dashboard = server;
  }

  const { createOtelSink } = await import('../telemetry/otel-sink.ts');
  const otel = createOtelSink(config, '0.1.0');
  if (otel) {
    sinks.push(otel);
    if (config.prometheus.enabled) banner.push(`metrics: http://${config.prometheus.listen}${config.prometheus.path}`);
    if (config.otel.enabled) banner.push('OpenTelemetry: on');
  }

  return {
    sinks, banner,
    ...(history ? { history } : {}),
    ...(continuation ? { continuation } : {}),
    dashboardUrl: () => { try { return dashboard?.url; } catch { return undefined; } },
    close: () => { for (const c of closers) c(); },
  };
}
