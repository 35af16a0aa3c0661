import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Flags shared by `run` and `demo`. */
export const COMMON_RUN_FLAGS = {
  data: { type: 'string' },
  duration: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  http: { type: 'string' },
  'no-http': { type: 'boolean', default: false },
  metrics: { type: 'string' },
  'no-metrics': { type: 'boolean', default: false },
  config: { type: 'string' },
  until: { type: 'string' },
  timeout: { type: 'string' },
  'fail-on': { type: 'string' },
  junit: { type: 'string' },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
}

export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(argv: string[], options: O) {
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function parseSeconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a positive number of seconds, got "${value}"`);
  return n;
}
