import type { SimScenario } from './sim-scenario.ts';
import type { SimWrite } from './sim-write.ts';
import { SimTimeline } from './sim-timeline.ts';

export interface ScenarioParts {
  readonly name: string;
  readonly summary: string;
  readonly deviceClockFactor: number;
  /** The story, told once (finite). */
  story(t: SimTimeline): Iterable<SimWrite>;
  /** What the board keeps saying afterwards (may be endless; empty = silence). */
  tail?(t: SimTimeline): Iterable<SimWrite>;
}

/** Builds a scenario from its story and tail; `storyMs` is measured by telling the story once. */
export function defineScenario(parts: ScenarioParts): SimScenario {
  let storyMs: number | undefined;
  return {
    name: parts.name,
    summary: parts.summary,
    deviceClockFactor: parts.deviceClockFactor,
    get storyMs(): number {
      if (storyMs === undefined) {
        const t = new SimTimeline({ factor: parts.deviceClockFactor });
        for (const _ of parts.story(t)) void _;
        storyMs = t.quietAt;
      }
      return storyMs;
    },
    *writes(): Generator<SimWrite> {
      const t = new SimTimeline({ factor: parts.deviceClockFactor });
      yield* parts.story(t);
      if (parts.tail) yield* parts.tail(t);
    },
  };
}
