import { ConfigError, loadConfig } from '../config/load-config.ts';
import { parseSource } from '../config/port-spec.ts';
import { UsageError } from './run-options.ts';

/** `uartscope validate FILE`: exit 0 when valid, 1 with every problem named by key when not. */
export async function validateCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  if (argv.length !== 1 || argv[0]!.startsWith('-')) throw new UsageError('validate takes exactly one FILE');
  const file = argv[0]!;
  try {
    const config = loadConfig(file);
    const problems: string[] = [];
    const names = new Set<string>();
    config.ports.forEach((p, i) => {
      if (names.has(p.name)) problems.push(`ports[${i}].name: "${p.name}" is used twice`);
      names.add(p.name);
      try { parseSource(p); } catch (err) { problems.push(`ports[${i}].source: ${(err as Error).message}`); }
    });
    if (problems.length) throw new ConfigError(file, problems);
    io.stdout.write(`${file}: ok (${config.ports.length} port${config.ports.length === 1 ? '' : 's'})\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 1;
  }
}
