import { describe, expect, it } from 'vitest';
import { simStream } from '../../../daemon/sim/sim-stream.ts';
import { SCENARIOS } from '../../../daemon/sim/scenario-catalog.ts';
import { take } from './script-lines.ts';

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

describe('simStream', () => {
  it('yields exactly the bytes the script sends on one UART, in order', async () => {
    const until = SCENARIOS.healthy.storyMs + 1500;
    const got = await collect(simStream('healthy', 'esp', { speed: 25, untilMs: until }));
    const expected = Buffer.concat(take(SCENARIOS.healthy.writes(), until).filter((w) => w.uart === 'esp').map((w) => w.bytes));
    expect(got.equals(expected)).toBe(true);
    expect(got.toString('latin1')).toContain('WIFI GOT IP\r\n');
  });

  it('stays silent after a finished script until its time limit, then ends', async () => {
    const got = await collect(simStream('hv-error', 'hv', { speed: 50, untilMs: 2000 }));
    expect(got.toString('latin1').endsWith('BAO ERROR: failed to register sau entry')).toBe(true);
    const console_ = await collect(simStream('hv-error', 'console', { speed: 50, untilMs: 2000 }));
    expect(console_).toHaveLength(0);
  });

  it('ends when its signal aborts, even in the middle of an endless scenario', async () => {
    const abort = new AbortController();
    const chunks: string[] = [];
    for await (const c of simStream('cycle', 'hv', { signal: abort.signal })) {
      chunks.push(Buffer.from(c).toString('latin1'));
      abort.abort();
    }
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toContain('|___/|_|');
  });
});
