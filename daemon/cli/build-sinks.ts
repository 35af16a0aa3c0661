import type { Config } from '../config/schema.ts';
import type { Sink } from '../pipeline/sink.ts';
import type { HistoryQuery } from '../store/history-query.ts';

export interface BuiltSinks {
  readonly sinks: Sink[];
  readonly history?: HistoryQuery;
  /** Where things are, for the start-up line (dashboard URL, metrics URL). */
  readonly banner: string[];
}

/** The sinks a running daemon has besides the terminal: store, alerts, dashboard, OpenTelemetry, Prometheus. */
export async function buildSinks(_options: { config: Config; dataDir: string; io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }; quiet: boolean | undefined }): Promise<BuiltSinks> {
  return { sinks: [], banner: [] };
}
