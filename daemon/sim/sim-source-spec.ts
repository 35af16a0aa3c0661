import { SCENARIO_NAMES, isScenarioChoice, type ScenarioChoice } from './scenario-catalog.ts';
import { UART_NAMES, isUartName, type UartName } from './sim-uart.ts';

export interface SimSourceSpec {
  readonly scenario: ScenarioChoice;
  readonly uart: UartName;
}

/**
 * Reads a port source `sim:SCENARIO[/UART]` (config `ports[].source`): `sim:seed/esp`,
 * `sim:cycle`, `sim:healthy`. The UART defaults to `console`, the port most people watch.
 * Returns an error message naming the bad part instead of throwing.
 */
export function parseSimSource(source: string): SimSourceSpec | { readonly error: string } {
  if (!source.startsWith('sim:')) return { error: `"${source}" is not a sim: source` };
  const [scenario = '', uart = 'console', ...extra] = source.slice(4).split('/');
  if (extra.length > 0) return { error: `"${source}": expected sim:SCENARIO[/UART]` };
  if (!isScenarioChoice(scenario)) {
    return { error: `"${source}": unknown scenario "${scenario}" (one of ${SCENARIO_NAMES.join(', ')}, cycle)` };
  }
  if (!isUartName(uart)) return { error: `"${source}": unknown UART "${uart}" (one of ${UART_NAMES.join(', ')})` };
  return { scenario, uart };
}
