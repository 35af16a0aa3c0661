import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/load-config.ts';
import { PortSpecError } from '../config/port-spec.ts';
import { UsageError } from './run-options.ts';

const USAGE = `uartscope: serial-log and timing observability for embedded bring-up

usage:
  uartscope demo [--scenario NAME] [--data DIR] [--duration S] [--quiet] [--http HOST:PORT]
      a simulated LPCXpresso55S69 (hypervisor, Zephyr console, ESP-AT UART) on real pseudo terminals, monitored live
  uartscope run (--port NAME=SOURCE[,baud=N][,role=R] ... | --config FILE) [--data DIR] [--duration S] [--quiet]
                [--http HOST:PORT | --no-http] [--metrics HOST:PORT | --no-metrics]
                [--until PATTERN --timeout S] [--fail-on KINDS] [--junit FILE]
      watch real ports; SOURCE: /dev/ttyACM0, usb:1fc9:0090[:SERIAL], tcp://HOST:PORT, replay:FILE[?speed=1|max], sim:SCENARIO[/UART]
  uartscope ports [--json]                 serial ports with USB vendor/product/serial, /dev/serial/by-id and a guess
  uartscope validate FILE                  check a config; errors name the key
  uartscope analyze FILE... [--format F] [--port NAME] [--json] [--junit FILE] [--fail-on KINDS]
  uartscope history [--config FILE] [--data DIR] [--port P] [--since T] [--kind K] [--json]
  uartscope sim [--scenario NAME] [--dir DIR] [--duration S]

roles: zephyr, esp-at, hypervisor, text. Docs: README.md; every config key: deploy/uartscope.example.yaml`;

type Io = { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream };

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': return await (await import('./run-command.ts')).runCommand(rest, io, 'run');
      case 'demo': return await (await import('./run-command.ts')).runCommand(rest, io, 'demo');
      case 'ports': return await (await import('./ports-command.ts')).portsCommand(rest, io);
      case 'validate': return await (await import('./validate-command.ts')).validateCommand(rest, io);
      case 'analyze': {
        const { runAnalyze } = await import('../analyze/analyze-command.ts');
        const { createDriftAnalyzer } = await import('../drift/drift-analyzer.ts');
        return await runAnalyze(rest, { stdout: io.stdout, stderr: io.stderr, stderrIsTTY: Boolean(io.stderr.isTTY) }, { extraAnalyzers: () => [createDriftAnalyzer()] });
      }
      case 'history': return await (await import('../history/history-command.ts')).runHistory(rest, io);
      case 'sim': return await (await import('../sim/sim-command.ts')).runSimCommand(rest, io);
      case undefined: case '-h': case '--help': case 'help':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      case '--version': case 'version':
        io.stdout.write('uartscope 0.1.0\n');
        return 0;
      default:
        io.stderr.write(`uartscope: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof PortSpecError) {
      io.stderr.write(`uartscope ${command}: ${err.message}\n(see uartscope --help)\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`uartscope ${command}: invalid config ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`uartscope ${command}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && (() => {
  try { return realpathSync(process.argv[1]!) === realpathSync(fileURLToPath(import.meta.url)); } catch { return false; }
})();
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
