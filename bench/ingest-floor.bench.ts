import { constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceStream } from '../daemon/sources/device-stream.ts';
import { startIngestBoard } from './helpers/ingest-board.ts';

/**
 * The floor under the ingest benchmark: the same board (bench/helpers/ingest-board.py), read by a
 * process that does nothing else: no framer objects, no capture, no analysis, no second thread.
 * Its stamp latency is what this machine's kernel (pty flips, wake-ups) and scheduler cost; the
 * daemon's figure in ingest.bench.ts minus this is what uartscope adds.
 */
export async function run(): Promise<void> {
  const ports = Number(process.env.BENCH_INGEST_PORTS ?? 16);
  const baud = Number(process.env.BENCH_INGEST_BAUD ?? 921_600);
  const seconds = Number(process.env.BENCH_INGEST_SECONDS ?? 20);
  const dir = mkdtempSync(join(tmpdir(), 'uartscope-bench-floor-'));
  const board = await startIngestBoard(dir, ports, baud, seconds);

  const byteUs = 10e6 / baud;
  const monoUs = () => Number(process.hrtime.bigint() / 1000n);
  const latencies: number[] = [];
  for (let p = 0; p < ports; p++) {
    // Lines are cut at LF within each read; a line split across reads is skipped (the floor needs no more).
    const stream = deviceStream(openSync(join(dir, `p${p}`), constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK), (bytes) => {
      const at = monoUs();
      let start = 0;
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
        const t = / t=(\d+)/.exec(bytes.toString('latin1', start, i));
        if (t) latencies.push(at - (bytes.length - 1 - start) * byteUs - Number(t[1]));
        start = i + 1;
      }
    });
    stream.on('error', () => { /* the board unplugs at the end */ });
  }
  await board.run();
  latencies.sort((a, b) => a - b);
  const q = (f: number) => ((latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))] ?? NaN) / 1000).toFixed(3);
  console.log(`ingest floor: ${ports} ports × ${baud} baud, ${seconds} s, a bare reader (no daemon): ${latencies.length} lines`);
  console.log(`ingest floor host-time latency p50: ${q(0.5)} ms, p90: ${q(0.9)} ms, p99: ${q(0.99)} ms, p99.9: ${q(0.999)} ms, max: ${q(1)} ms`);
  rmSync(dir, { recursive: true, force: true });
}
