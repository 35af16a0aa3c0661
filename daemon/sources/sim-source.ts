import { Observable } from 'rxjs';
import type { HostClock } from '../core/host-time.ts';
import type { Source, SourceItem } from './source.ts';

export interface SimSourceOptions {
  readonly port: string;
  readonly scenario: string;
  readonly uart: string;
  /** > 1 compresses host time: the device clock looks that much faster too. */
  readonly speed?: number;
  readonly clock: HostClock;
}

/** `sim:SCENARIO[/UART]`: one UART of the simulated board, in process (no pty), with the board's timing. */
export function simSource(options: SimSourceOptions): Source {
  const items$ = new Observable<SourceItem>((sub) => {
    let stopped = false;
    const run = async () => {
      const { simStream, UART_NAMES } = await import('../sim/sim-board.ts');
      const { SCENARIO_NAMES, isScenarioChoice } = await import('../sim/scenario-catalog.ts');
      const scenario = options.scenario;
      if (!isScenarioChoice(scenario)) throw new Error(`unknown scenario "${scenario}" (known: cycle, ${SCENARIO_NAMES.join(', ')})`);
      if (!(UART_NAMES as readonly string[]).includes(options.uart)) throw new Error(`unknown simulated UART "${options.uart}" (known: ${UART_NAMES.join(', ')})`);
      sub.next({ type: 'state', state: 'connected', at: options.clock.now(), path: `sim:${options.scenario}/${options.uart}` });
      for await (const bytes of simStream(scenario, options.uart as (typeof UART_NAMES)[number], { speed: options.speed ?? 1 })) {
        if (stopped) return;
        sub.next({ type: 'data', bytes, at: options.clock.now() });
      }
      if (!stopped) {
        sub.next({ type: 'state', state: 'gone', at: options.clock.now(), reason: 'end of scenario' });
        sub.complete();
      }
    };
    run().catch((err: Error) => {
      if (stopped) return;
      sub.next({ type: 'state', state: 'gone', at: options.clock.now(), reason: `port ${options.port}: ${err.message}` });
      sub.complete();
    });
    return () => { stopped = true; };
  });
  return { kind: 'sim', items$ };
}
