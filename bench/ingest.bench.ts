import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIngestBoard } from './helpers/ingest-board.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { HostClock } from '../daemon/core/host-time.ts';
import { parseConfig } from '../daemon/config/load-config.ts';
import { startDaemon } from '../daemon/daemon.ts';
import { buildSinks } from '../daemon/cli/build-sinks.ts';

/**
 * End to end through real pseudo terminals (DESIGN.md targets): N ports at a UART rate each,
 * capture and parsers/analyzers on. The generator runs in its own process and stamps each line
 * with the CLOCK_MONOTONIC time its first byte is due; the daemon runs here on a HostClock
 * anchored at (0, 0) so its host times are on the same clock and latency is their difference.
 */
export async function run(): Promise<void> {
  const ports = Number(process.env.BENCH_INGEST_PORTS ?? 16);
  const baud = Number(process.env.BENCH_INGEST_BAUD ?? 921_600);
  const seconds = Number(process.env.BENCH_INGEST_SECONDS ?? 20);
  const dir = mkdtempSync(join(tmpdir(), 'uartscope-bench-ingest-'));
  const board = await startIngestBoard(dir, ports, baud, seconds);
  if (process.env.BENCH_DEBUG) console.log('generator ready');

  const clock = new HostClock(0, 0n);
  // BENCH_INGEST_SINKS=all adds what `run` has besides capture and analysis: the store, alerts, the
  // dashboard server (no client), Prometheus, and OTLP export to a local address nobody listens on.
  const allSinks = process.env.BENCH_INGEST_SINKS === 'all';
  const config = parseConfig({
    ports: Array.from({ length: ports }, (_, p) => ({ name: `p${p}`, source: join(dir, `p${p}`), baud, role: 'zephyr' })),
    http: { listen: '127.0.0.1:0', enabled: !(process.env.BENCH_INGEST_OFF ?? '').includes('http') },
    prometheus: { listen: '127.0.0.1:0', enabled: !(process.env.BENCH_INGEST_OFF ?? '').includes('prometheus') },
    store: { enabled: !(process.env.BENCH_INGEST_OFF ?? '').includes('store') },
    // BENCH_INGEST_THREAD=main reads the ports on the main thread, as before the ingest thread existed.
    pipeline: { ingest_thread: process.env.BENCH_INGEST_THREAD === 'main' ? 'main' : 'worker' },
    ...(allSinks && !(process.env.BENCH_INGEST_OFF ?? '').includes('otel') ? { otel: { enabled: true, endpoint: 'http://127.0.0.1:9' } } : {}),
  });
  const dataDir = join(dir, 'data');
  const extra = allSinks ? await buildSinks({ config, dataDir, io: { stdout: process.stdout, stderr: process.stderr }, quiet: true }) : undefined;
  const daemon = await startDaemon({ config, dataDir, clock, ...(extra ? { sinks: extra.sinks, ...(extra.history ? { history: extra.history } : {}) } : {}) });
  const latencies: number[] = [];
  const lastSeen = new Array<number>(ports).fill(-1);
  let gaps = 0;
  let received = 0;
  // The generator's ` p=P n=N t=T` tail, read without a regex: the measurement runs on the thread
  // it measures, and a match array per line was 5 % of that thread's allocations.
  const field = (text: string, key: string, from: number): number => {
    const at = text.indexOf(key, from);
    if (at < 0) return NaN;
    let v = 0;
    let k = at + key.length;
    for (let c = text.charCodeAt(k); c >= 48 && c <= 57; c = text.charCodeAt(++k)) v = v * 10 + (c - 48);
    return k > at + key.length ? v : NaN;
  };
  daemon.bus.messages$.subscribe((m) => {
    if (m.type !== 'line') return;
    const text = m.line.text;
    const tail = text.lastIndexOf(' p=');
    if (tail < 0) return;
    const p = field(text, ' p=', tail);
    const n = field(text, ' n=', tail);
    const t = field(text, ' t=', tail);
    if (Number.isNaN(p + n + t)) return;
    received++;
    if (n !== lastSeen[p]! + 1) gaps += n - lastSeen[p]! - 1;
    lastSeen[p] = n;
    latencies.push(m.line.hostTime - t);
  });
  while (!daemon.runtime.ports().every((p) => p.state === 'connected')) await new Promise((r) => setTimeout(r, 20));
  if (process.env.BENCH_DEBUG) console.log('ports connected');

  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  // How long the main thread's event loop was held up (BENCH_DEBUG only: sampling it wakes the
  // loop 1000 times a second, which the daemon's CPU figure would include).
  const loop = process.env.BENCH_DEBUG ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
  loop?.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const running = board.run();
  if (process.env.BENCH_DEBUG) setTimeout(() => console.log('generator said:', JSON.stringify(board.output()), 'lines so far', received), 6000).unref();
  let boardCpuS = 0;
  const boardCpu = setInterval(() => {
    // The board's own CPU (utime + stime, clock ticks): what the load generator takes from the same cores.
    try { const f = readFileSync(`/proc/${board.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); boardCpuS = (Number(f[11]) + Number(f[12])) / 100; } catch { /* gone */ }
  }, 200);
  await running;
  clearInterval(boardCpu);
  await new Promise((r) => setTimeout(r, 300)); // let the tail drain
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (process.env.BENCH_DEBUG) console.log(threadCpu());
  clearInterval(rssTimer);
  await daemon.stop();
  extra?.close();
  const sent = Number(/sent (\d+)/.exec(board.output())?.[1] ?? 0);
  latencies.sort((a, b) => a - b);
  const q = (f: number) => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))] ?? NaN;
  console.log(`ingest: ${ports} ports × ${baud} baud, ${seconds} s through real ptys (${allSinks ? 'capture, analysis, store, alerts, dashboard server, Prometheus, OTLP' : 'capture + analysis'}; ingest thread: ${config.pipeline.ingest_thread})`);
  console.log(`ingest lines/s: ${(received / seconds).toFixed(0)}`);
  console.log(`ingest loss: ${sent - received} of ${sent} lines (gaps in sequence: ${gaps})`);
  console.log(`ingest host-time latency p50: ${(q(0.5) / 1000).toFixed(3)} ms, p90: ${(q(0.9) / 1000).toFixed(3)} ms, p99: ${(q(0.99) / 1000).toFixed(3)} ms, p99.9: ${(q(0.999) / 1000).toFixed(3)} ms, max: ${(q(1) / 1000).toFixed(3)} ms`);
  if (loop) {
    loop.disable();
    console.log(`ingest main event-loop delay p50: ${(loop.percentile(50) / 1e6).toFixed(2)} ms, p99: ${(loop.percentile(99) / 1e6).toFixed(2)} ms, max: ${(loop.max / 1e6).toFixed(1)} ms`);
  }
  console.log(`ingest daemon CPU: ${(((cpu.user + cpu.system) / 1e6 / wallS) * 100).toFixed(1)} % of one core`);
  console.log(`ingest peak RSS: ${(peakRss / 2 ** 20).toFixed(1)} MiB`);
  console.log(`ingest load generator CPU (same cores): ${((boardCpuS / wallS) * 100).toFixed(1)} % of one core`);
  rmSync(dir, { recursive: true, force: true });
}

/** CPU seconds per thread of this process, by thread name (BENCH_DEBUG): which thread the load is on. */
function threadCpu(): string {
  const hz = 100;
  const rows = readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { tid, comm, s: (Number(f[11]) + Number(f[12])) / hz, u: Number(f[11]) / hz };
  });
  return rows.filter((r) => r.s > 0.05).sort((a, b) => b.s - a.s).map((r) => `${r.tid === String(process.pid) ? 'main' : `${r.comm}/${r.tid}`}: ${r.s.toFixed(2)} s (user ${r.u.toFixed(2)})`).join(', ');
}
