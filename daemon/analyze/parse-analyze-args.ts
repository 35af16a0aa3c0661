import { CAPTURE_FORMATS, type CaptureFormat } from '../../parsers/capture-formats/capture-line.ts';
import { PORT_ROLES, type PortRole } from '../core/port-role.ts';

export interface AnalyzeArgs {
  readonly files: string[];
  readonly format?: CaptureFormat;
  /** Port names, in the order of the files (the last one repeats); default: each file's base name. */
  readonly ports: string[];
  readonly role?: PortRole;
  readonly config?: string;
  readonly json: boolean;
  readonly junit?: string;
  readonly failOn: string[];
  readonly help: boolean;
}

export class ArgsError extends Error {}

export const ANALYZE_USAGE = `usage: uartscope analyze FILE... [--format ${CAPTURE_FORMATS.join('|')}] [--port NAME] [--role ${PORT_ROLES.join('|')}]
                         [--config FILE] [--json] [--junit FILE] [--fail-on KIND[,KIND…]]`;

const KIND = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;

/** `uartscope analyze` arguments; throws {@link ArgsError} with a one-line cause. */
export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs {
  const files: string[] = [];
  const ports: string[] = [];
  const failOn: string[] = [];
  let format: CaptureFormat | undefined;
  let role: PortRole | undefined;
  let config: string | undefined;
  let junit: string | undefined;
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ArgsError(`option ${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--json':
        json = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--format': {
        const v = value();
        if (!(CAPTURE_FORMATS as readonly string[]).includes(v)) throw new ArgsError(`unknown format "${v}" for --format (one of ${CAPTURE_FORMATS.join(', ')})`);
        format = v as CaptureFormat;
        break;
      }
      case '--role': {
        const v = value();
        if (!(PORT_ROLES as readonly string[]).includes(v)) throw new ArgsError(`unknown role "${v}" for --role (one of ${PORT_ROLES.join(', ')})`);
        role = v as PortRole;
        break;
      }
      case '--port': {
        const v = value();
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(v)) throw new ArgsError(`bad port name "${v}" for --port (letters, digits, "_", "." and "-")`);
        ports.push(v);
        break;
      }
      case '--config':
        config = value();
        break;
      case '--junit':
        junit = value();
        break;
      case '--fail-on':
        for (const k of value().split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
          if (!KIND.test(k)) throw new ArgsError(`bad event kind "${k}" for --fail-on (dotted lower-case, e.g. esp.reset_failed)`);
          failOn.push(k);
        }
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new ArgsError(`unknown option ${name}`);
        files.push(arg);
    }
  }
  if (!help && files.length === 0) throw new ArgsError('no capture file given');
  return { files, ports, json, help, failOn, ...(format ? { format } : {}), ...(role ? { role } : {}), ...(config !== undefined ? { config } : {}), ...(junit !== undefined ? { junit } : {}) };
}
