// 5,000 lines/s through the real DashboardServer into the real page in Chromium: frame times
// from requestAnimationFrame (p50/p99) and the page's JS heap after BENCH_DASHBOARD_SECONDS
// (default 600). Prints `name: value unit` lines; asserts nothing.
import { hostClock } from '../daemon/core/host-time.ts';
import type { Level } from '../daemon/core/parsed-record.ts';
import { startHarness, publishZephyr, makeLine } from '../test/integration/server/server-harness.ts';
import { ensureDashboardBuilt, launchBrowser } from '../test/integration/dashboard/browser.ts';
import { publishSeed, seedPorts } from '../test/integration/dashboard/seed-scenario.ts';

const LINES_PER_S = Number(process.env['BENCH_DASHBOARD_LINES_PER_S'] ?? 5000);
const MODULES = ['wifi_esp_at', 'net_dhcpv4', 'MAIN', 'net_if', 'uart_mcux_flexcomm'];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function run(): Promise<void> {
  const seconds = Number(process.env['BENCH_DASHBOARD_SECONDS'] ?? 600);
  ensureDashboardBuilt();
  const ports = seedPorts();
  const h = await startHarness({ ports });
  const browser = await launchBrowser();
  try {
    const seed = publishSeed(h.bus, ports, hostClock.now() - 430_000_000);
    const page = await browser.context.newPage();
    await page.goto(h.url);
    await page.locator('.conn[data-status="open"]').waitFor();
    // Frame-time probe: the gap between consecutive animation frames, as the user feels it.
    // Passed as source text: tsx's esbuild adds `__name` helpers to functions, which do not exist in the page.
    await page.evaluate(`(() => {
      window.frameDeltas = [];
      let last = performance.now();
      const tick = (now) => { window.frameDeltas.push(now - last); last = now; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const cdp = await browser.context.newCDPSession(page);

    const seq: Record<string, number> = { ...seed.nextSeq };
    const start = performance.now();
    let sent = 0;
    let i = 0;
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - start) / 1000;
        if (elapsed >= seconds) {
          clearInterval(timer);
          done();
          return;
        }
        const due = Math.floor(elapsed * LINES_PER_S) - sent;
        for (let k = 0; k < due; k++, i++) {
          // Mostly console log lines with records; some hypervisor and ESP-AT text.
          if (i % 10 === 9) {
            const port = i % 20 === 9 ? 'hv' : 'esp';
            const s = seq[port] ?? 0;
            seq[port] = s + 1;
            h.bus.publish({ type: 'line', line: makeLine(port, s, port === 'hv' ? `BAO INFO: vm${i % 2} irq ${i}` : `+IPD,${i % 1460}:data` ) });
          } else {
            const s = seq['console'] ?? 0;
            seq['console'] = s + 1;
            const level: Level = i % 97 === 0 ? 'err' : i % 31 === 0 ? 'wrn' : i % 5 === 0 ? 'dbg' : 'inf';
            publishZephyr(h.bus, 'console', s, level, MODULES[i % MODULES.length] ?? 'MAIN', `packet ${i} len=${(i * 37) % 1500} rssi=-${40 + (i % 50)}`, Math.round((performance.now() - start) * 125));
          }
          sent++;
        }
        for (const p of ports) {
          p.lines = seq[p.name] ?? p.lines;
          p.lastLineAt = hostClock.now();
        }
      }, 10);
    });
    // Let the last batches land, then measure.
    await page.waitForTimeout(500);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const page$ = (await page.evaluate(`(() => {
      const d = window.frameDeltas.slice(60).sort((a, b) => a - b); // skip the first second (page settling)
      const log = window.uartscope.log;
      return { deltas: d, rows: log.size, received: log.received, evicted: log.evicted, gaps: window.uartscope.gaps, dom: document.getElementsByTagName('*').length };
    })()`)) as { deltas: number[]; rows: number; received: number; evicted: number; gaps: number; dom: number };
    const stats = h.server.stats();
    console.log(`dashboard_seconds: ${seconds} s`);
    console.log(`dashboard_lines_sent: ${sent} lines`);
    console.log(`dashboard_lines_rate: ${(sent / seconds).toFixed(0)} lines/s`);
    console.log(`dashboard_page_lines_received: ${page$.received} lines`);
    console.log(`dashboard_page_rows_kept: ${page$.rows} rows`);
    console.log(`dashboard_page_rows_evicted: ${page$.evicted} rows`);
    console.log(`dashboard_gaps: ${page$.gaps} gaps`);
    console.log(`dashboard_frames: ${page$.deltas.length} frames`);
    console.log(`dashboard_frame_p50: ${percentile(page$.deltas, 50).toFixed(1)} ms`);
    console.log(`dashboard_frame_p99: ${percentile(page$.deltas, 99).toFixed(1)} ms`);
    console.log(`dashboard_frame_max: ${(page$.deltas.at(-1) ?? NaN).toFixed(1)} ms`);
    console.log(`dashboard_js_heap_used: ${(heap.usedSize / 1048576).toFixed(1)} MiB`);
    console.log(`dashboard_js_heap_total: ${(heap.totalSize / 1048576).toFixed(1)} MiB`);
    console.log(`dashboard_dom_elements: ${page$.dom} elements`);
    console.log(`dashboard_server_dropped: ${stats.dropped} lines`);
  } finally {
    await browser.close();
    await h.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
