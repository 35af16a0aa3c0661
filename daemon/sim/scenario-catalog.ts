import type { SimScenario } from './sim-scenario.ts';
import type { SimWrite } from './sim-write.ts';
import { seedScenario } from './scenarios/seed.ts';
import { healthyScenario } from './scenarios/healthy.ts';
import { faultScenario } from './scenarios/fault.ts';
import { hvErrorScenario } from './scenarios/hv-error.ts';
import { garbageScenario } from './scenarios/garbage.ts';
import { sharedUartScenario } from './scenarios/shared-uart.ts';

/** Every scenario, in the order the default cycle plays them (the seed story first). */
export const SCENARIO_NAMES = ['seed', 'healthy', 'fault', 'hv-error', 'garbage', 'shared-uart'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
/** A scenario name, or `cycle`: all of them in turn, for ever (what `uartscope demo` runs). */
export type ScenarioChoice = ScenarioName | 'cycle';

export const SCENARIOS: Readonly<Record<ScenarioName, SimScenario>> = {
  seed: seedScenario,
  healthy: healthyScenario,
  fault: faultScenario,
  'hv-error': hvErrorScenario,
  garbage: garbageScenario,
  'shared-uart': sharedUartScenario,
};

/** How long the board keeps talking after a story before the cycle moves on (host ms). */
export const CYCLE_LINGER_MS = 40_000;

export function isScenarioChoice(value: string): value is ScenarioChoice {
  return value === 'cycle' || (SCENARIO_NAMES as readonly string[]).includes(value);
}

/**
 * All scenarios in turn, each for its story plus CYCLE_LINGER_MS of its tail, then the next one
 * as if the board were power-cycled (device time restarts at 0, the hypervisor prints its banner
 * again); after the last, the seed again. Endless.
 */
export function* cycleWrites(order: readonly ScenarioName[] = SCENARIO_NAMES): Generator<SimWrite> {
  let base = 0;
  for (;;) {
    for (const name of order) {
      const scenario = SCENARIOS[name];
      const span = scenario.storyMs + CYCLE_LINGER_MS;
      for (const w of scenario.writes()) {
        if (w.atMs >= span) break;
        yield { atMs: base + w.atMs, uart: w.uart, bytes: w.bytes };
      }
      base += span;
    }
  }
}

/** The writes of a scenario, or of the cycle. */
export function scenarioWrites(choice: ScenarioChoice): Iterable<SimWrite> {
  return choice === 'cycle' ? cycleWrites() : SCENARIOS[choice].writes();
}
