import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDaemon, type Daemon } from '../daemon.ts';
import { loadConfig, parseConfig } from '../config/load-config.ts';
import { parsePortSpec } from '../config/port-spec.ts';
import type { Config } from '../config/schema.ts';
import type { PortConfig } from '../config/sections/ports.ts';
import { buildSinks } from './build-sinks.ts';
import { RunGate } from './run-gate.ts';
import { COMMON_RUN_FLAGS, UsageError, parseCommandArgs, parseSeconds } from './run-options.ts';
import { TerminalPrinter } from './terminal-printer.ts';

type Io = { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream };

/**
 * `uartscope run` and `uartscope demo`: start the daemon on the configured (or simulated)
 * ports, print lines and events live, stop cleanly on SIGINT/SIGTERM, `--duration`, the
 * CI gate (`--until/--timeout/--fail-on`), or when every source has ended (replays).
 */
export async function runCommand(argv: string[], io: Io, mode: 'run' | 'demo'): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...COMMON_RUN_FLAGS,
    port: { type: 'string', multiple: true },
    scenario: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`see uartscope --help\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const duration = parseSeconds('duration', values.duration);
  const timeout = parseSeconds('timeout', values.timeout);
  if (values.until !== undefined && timeout === undefined) throw new UsageError('--until needs --timeout SECONDS (exit 3 when the pattern is not seen in time)');
  let until: RegExp | undefined;
  if (values.until !== undefined) {
    try { until = new RegExp(values.until); } catch (err) { throw new UsageError(`--until: not a valid regular expression: ${(err as Error).message}`); }
  }
  if (mode === 'run' && values.scenario) throw new UsageError('--scenario is for `uartscope demo`');
  if (mode === 'demo' && values.port?.length) throw new UsageError('`demo` brings its own ports; use `run --port` for real ones');

  let config: Config = values.config ? loadConfig(values.config) : parseConfig({});
  const cliPorts: PortConfig[] = (values.port ?? []).map(parsePortSpec);
  let board: { links: Record<string, string>; stop(): Promise<void> } | undefined;
  let boardDir: string | undefined;

  if (mode === 'demo') {
    const { startSimBoard } = await import('../sim/sim-board.ts');
    const { SCENARIO_NAMES, isScenarioChoice } = await import('../sim/scenario-catalog.ts');
    const scenario = values.scenario ?? 'cycle';
    if (!isScenarioChoice(scenario)) throw new UsageError(`--scenario must be one of cycle, ${SCENARIO_NAMES.join(', ')}; got "${scenario}"`);
    boardDir = mkdtempSync(join(tmpdir(), 'uartscope-board-'));
    board = await startSimBoard({ dir: boardDir, scenario });
    const roles: Record<string, PortConfig['role']> = { hv: 'hypervisor', console: 'zephyr', esp: 'esp-at' };
    cliPorts.push(...Object.entries(board!.links).map(([name, path]) => ({ name, source: path, baud: 115200, role: roles[name] ?? 'text' })));
  }
  if (cliPorts.length) config = parseConfig({ ...config, ports: [...config.ports, ...cliPorts] });
  if (config.ports.length === 0) throw new UsageError('no ports to watch: give --port NAME=SOURCE (e.g. --port console=/dev/ttyACM0,role=zephyr) or --config FILE');
  if (values['no-http']) config = { ...config, http: { ...config.http, enabled: false } } as Config;
  else if (values.http) config = { ...config, http: { ...config.http, listen: values.http } } as Config;
  if (values['no-metrics']) config = { ...config, prometheus: { ...config.prometheus, enabled: false } };
  else if (values.metrics) config = parseConfig({ ...config, prometheus: { ...config.prometheus, listen: values.metrics } });

  const dataDir = resolve(values.data ?? config.data.dir);
  const colour = !values['no-color'] && Boolean(io.stdout.isTTY) && !process.env.NO_COLOR;
  const printer = new TerminalPrinter({ out: io.stdout, colour, lines: !values.quiet });
  const extra = await buildSinks({ config, dataDir, io, quiet: values.quiet });
  const problems = new Set<string>();
  let daemon: Daemon;
  try {
    daemon = await startDaemon({
      config, dataDir, sinks: [...extra.sinks, printer], ...(extra.history ? { history: extra.history } : {}), ...(extra.continuation ? { continuation: extra.continuation } : {}),
      onProblem: (msg) => {
        // Say each distinct problem once; the state stays visible in the dashboard and the captures.
        if (problems.has(msg)) return;
        problems.add(msg);
        io.stderr.write(`uartscope: ${msg}\n`);
      },
    });
  } catch (err) {
    extra.close();
    await board?.stop();
    throw err;
  }
  const gate = new RunGate({
    bus: daemon.bus,
    ...(until ? { until } : {}),
    failOn: (values['fail-on'] ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    ...(values.junit ? { junitFile: values.junit } : {}),
  });

  const ports = daemon.runtime.ports();
  const url = extra.dashboardUrl();
  if (url) io.stdout.write(`dashboard: ${url}\n`);
  io.stdout.write(
    `uartscope ${mode}: watching ${ports.map((p) => `${p.name} (${p.role}, ${p.source})`).join(', ')}\n` +
    `captures: ${join(dataDir, 'captures')}/<port>/  ·  ${extra.banner.join('  ·  ')}${extra.banner.length ? '  ·  ' : ''}stop: Ctrl-C\n`,
  );

  const outcome = await new Promise<{ code: number; why: string }>((done) => {
    const onSignal = (sig: string) => done({ code: 0, why: sig });
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (duration !== undefined) setTimeout(() => done({ code: 0, why: `--duration ${duration}s` }), duration * 1000).unref();
    if (timeout !== undefined) setTimeout(() => done({ code: 3, why: `--timeout ${timeout}s: ${until ? `pattern /${until.source}/ not seen` : 'time is up'}` }), timeout * 1000).unref();
    gate.decided.then(done);
    // Every source ended (replays): with --until, the pattern can no longer come, as at the timeout.
    void daemon.sourcesDone.then(
      () => done(until ? { code: 3, why: `every source ended: pattern /${until.source}/ not seen` } : { code: 0, why: 'every source ended' }),
      // The ports are no longer read: stop with an error, so a supervisor (systemd) restarts us.
      (err: Error) => done({ code: 2, why: err.message }),
    );
    // Keep the process alive while waiting: sources hold handles, but a replay-only run may not.
    setInterval(() => {}, 1 << 30);
  });
  await daemon.stop();
  extra.close();
  await board?.stop();
  if (boardDir) rmSync(boardDir, { recursive: true, force: true });
  const code = gate.finish(outcome.code);
  io.stdout.write(`uartscope ${mode}: stopped (${outcome.why}); captures are in ${join(dataDir, 'captures')}\n`);
  if (gate.summary) io.stdout.write(`${gate.summary}\n`);
  return code;
}
