import type { CreateLineParserOptions } from '../../parsers/create-line-parser.ts';
import type { PortRole } from '../core/port-role.ts';
import type { Config } from '../config/schema.ts';

/** The parser options a port's role and the config give: live and in `analyze` alike. */
export function parserOptions(role: PortRole, config: Config): CreateLineParserOptions {
  return {
    role,
    uptimePattern: new RegExp(config.drift.uptime_pattern),
    ...(config.drift.cycle_hz !== undefined ? { cycleHz: config.drift.cycle_hz } : {}),
  };
}
