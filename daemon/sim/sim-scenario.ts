import type { SimWrite } from './sim-write.ts';

/**
 * A deterministic script of timed writes for the board's UARTs. `writes()` yields in
 * non-decreasing `atMs` and may never end (a board keeps talking after its story: Uptime
 * lines); a finite script means the board went silent (a halted hypervisor).
 */
export interface SimScenario {
  readonly name: string;
  readonly summary: string;
  /** Device seconds per host second of the Zephyr VM's clock (1/8 in the seed story). */
  readonly deviceClockFactor: number;
  /** Host ms by which the story has been told; after it only the periodic tail follows. */
  readonly storyMs: number;
  writes(): Iterable<SimWrite>;
}
