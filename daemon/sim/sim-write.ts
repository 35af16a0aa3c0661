import type { UartName } from './sim-uart.ts';

/** One timed write of the simulated board: `bytes` leave `uart` at `atMs` host milliseconds after the script starts. */
export interface SimWrite {
  readonly atMs: number;
  readonly uart: UartName;
  readonly bytes: Uint8Array;
}
