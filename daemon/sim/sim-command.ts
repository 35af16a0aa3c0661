import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SCENARIOS, SCENARIO_NAMES, isScenarioChoice } from './scenario-catalog.ts';
import { startSimBoard } from './sim-board.ts';
import { UART_NAMES } from './sim-uart.ts';

export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const USAGE = `usage: uartscope sim [--scenario NAME] [--dir DIR] [--duration S] [--speed X]

Runs the simulated board (LPCXpresso55S69, CROSSCON/Bao, Zephyr, ESP-AT module) on pseudo
terminals until Ctrl-C / SIGTERM or --duration seconds, and prints the links to open.

  --scenario NAME  ${SCENARIO_NAMES.join(', ')}, or cycle (default: all in turn, seed first)
  --dir DIR        where the links hv, console, esp are made (default: a new temp dir)
  --duration S     stop after S seconds
  --speed X        play X times faster than real time (default 1)
`;

/** `uartscope sim`: exit code 0 after a clean stop, 2 for bad arguments, 1 when the board cannot start. */
export async function runSimCommand(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string', default: 'cycle' },
        dir: { type: 'string' },
        duration: { type: 'string' },
        speed: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr.write(`uartscope sim: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const scenario = values.scenario;
  if (!isScenarioChoice(scenario)) {
    io.stderr.write(`uartscope sim: unknown scenario "${scenario}" (one of ${SCENARIO_NAMES.join(', ')}, cycle)\n`);
    return 2;
  }
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) {
    io.stderr.write(`uartscope sim: "--duration" must be a number of seconds > 0, got "${values.duration}"\n`);
    return 2;
  }
  const speed = Number(values.speed);
  if (!(speed > 0)) {
    io.stderr.write(`uartscope sim: "--speed" must be a number > 0, got "${values.speed}"\n`);
    return 2;
  }

  const ownDir = values.dir === undefined;
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'uartscope-sim-'));
  let board;
  try {
    // A person starts this, then a monitor in another terminal: wait a minute for the first
    // reader before powering the board on, so nothing is said to nobody.
    board = await startSimBoard({ dir, scenario, speed, startTimeoutMs: 60_000 });
  } catch (err) {
    io.stderr.write(`uartscope sim: cannot start the board: ${(err as Error).message}\n`);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    return 1;
  }

  const what = scenario === 'cycle' ? 'cycle (all scenarios, seed first)' : `${scenario}: ${SCENARIOS[scenario].summary}`;
  io.stdout.write(`uartscope sim: ${what}\n`);
  for (const u of UART_NAMES) io.stdout.write(`  ${u.padEnd(8)} ${board.links[u]} -> ${board.devices[u]}\n`);
  io.stdout.write(`open them at 115200 baud: the board powers on when the first is opened (or in 60 s); Ctrl-C unplugs\n`);

  await new Promise<void>((resolve) => {
    const timer = duration === undefined ? undefined : setTimeout(done, duration * 1000);
    function done(): void {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    }
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });

  await board.stop();
  if (ownDir) rmSync(dir, { recursive: true, force: true });
  io.stdout.write('uartscope sim: unplugged\n');
  return 0;
}
