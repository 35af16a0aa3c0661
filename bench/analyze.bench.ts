// `uartscope analyze` throughput and memory on a large generated capture (tio format, Zephyr
// console with a Wi-Fi reset failure per boot). Size: BENCH_ANALYZE_MB (default 200).
// RSS is printed at 25/50/100 % of the file: it must not grow with the file size (the
// analyzers keep boots, events and a short line ring, never the input).
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { runAnalyze } from '../daemon/analyze/analyze-command.ts';

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function zephyrStamp(us: number): string {
  const ms = Math.floor(us / 1000);
  const s = Math.floor(ms / 1000);
  return `[${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(ms % 1000).padStart(3, '0')},000]`;
}

function hostStamp(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `[${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}]`;
}

/** Writes about `mb` MB of capture; returns the number of lines written. */
async function generate(file: string, mb: number): Promise<number> {
  const out = createWriteStream(file);
  const target = mb * 1e6;
  let written = 0;
  let lines = 0;
  let host = Date.UTC(2026, 10, 24, 12) * 1000;
  const block: string[] = [];
  const flush = async (): Promise<void> => {
    const text = block.join('');
    block.length = 0;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const emit = (deviceUs: number, text: string): void => {
    host += 2000;
    block.push(`${hostStamp(host)} ${text}\n`);
    lines++;
  };
  while (written < target) {
    // One boot: the seed's reset-failure sequence before the banner, then steady logging.
    let dev = 0;
    emit(dev, `${zephyrStamp(dev)} <inf> wifi_esp_at: DT has external_reset`);
    emit(dev, `${zephyrStamp(dev)} <inf> wifi_esp_at: Waiting for interface to come up by itself...`);
    for (let k = 1; k <= 3; k++) emit((dev = k * 3_000_000), `${zephyrStamp(dev)} <inf> wifi_esp_at: ESP_AT: sending RST CMD`);
    emit((dev = 12_001_000), `${zephyrStamp(dev)} <err> wifi_esp_at: Failed to reset device: -116`);
    emit(dev, '*** Booting Zephyr OS build v4.1.0-1219-g584f2f86f905 ***');
    emit(dev, `${zephyrStamp(dev)} <err> MAIN: Failed to connect to Wi-Fi network: -115`);
    for (let i = 0; i < 2000; i++) {
      dev += 1000 + (i % 7) * 100;
      if (i % 100 === 0) emit(dev, `Uptime: ${Math.floor(dev / 1000)} ms`);
      else if (i % 50 === 7) emit(dev, `${zephyrStamp(dev)} <wrn> sensor: reading ${i} out of range (${(i * 37) % 1000} > 900)`);
      else emit(dev, `${zephyrStamp(dev)} <inf> app: sample ${i} temperature=${20 + (i % 13)}.${i % 10} C humidity=${40 + (i % 17)} %`);
    }
    await flush();
  }
  await new Promise<void>((r) => out.end(() => r()));
  return lines;
}

export async function run(): Promise<void> {
  const mb = Number(process.env['BENCH_ANALYZE_MB'] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'uartscope-bench-analyze-'));
  try {
    const file = join(dir, 'big.tio.log');
    const lines = await generate(file, mb);
    const bytes = statSync(file).size;
    globalThis.gc?.();
    const rssAt = new Map<number, number>();
    let peakRss = process.memoryUsage().rss;
    // The progress bar (drawn when stderr is a terminal) tells how far analyze is: sample RSS there.
    const stderr = new Writable({
      write(chunk: Buffer, _enc, cb) {
        const m = /(\d+)% of/.exec(chunk.toString('utf8'));
        if (m) {
          const pct = Number(m[1]);
          const rss = process.memoryUsage().rss;
          peakRss = Math.max(peakRss, rss);
          for (const mark of [25, 50, 100]) if (pct >= mark && !rssAt.has(mark)) rssAt.set(mark, rss);
        }
        cb();
      },
    });
    let outBytes = 0;
    const stdout = new Writable({
      write(chunk: Buffer, _enc, cb) {
        outBytes += chunk.length;
        cb();
      },
    });
    const t0 = performance.now();
    const code = await runAnalyze([file, '--json'], { stdout, stderr, stderrIsTTY: true });
    const s = (performance.now() - t0) / 1000;
    const maxRssMb = (process.resourceUsage().maxRSS * 1024) / 1e6; // maxRSS is in KiB
    console.log(`analyze.file_size: ${(bytes / 1e6).toFixed(1)} MB`);
    console.log(`analyze.lines: ${lines} lines`);
    console.log(`analyze.exit_code: ${code}`);
    console.log(`analyze.time: ${s.toFixed(2)} s`);
    console.log(`analyze.throughput: ${(bytes / 1e6 / s).toFixed(1)} MB/s`);
    console.log(`analyze.line_rate: ${Math.round(lines / s)} lines/s`);
    for (const mark of [25, 50, 100]) console.log(`analyze.rss_at_${mark}pct: ${((rssAt.get(mark) ?? 0) / 1e6).toFixed(1)} MB`);
    console.log(`analyze.peak_rss_sampled: ${(peakRss / 1e6).toFixed(1)} MB`);
    console.log(`analyze.max_rss_process: ${maxRssMb.toFixed(1)} MB`);
    console.log(`analyze.report_size: ${(outBytes / 1e3).toFixed(1)} kB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
