#!/usr/bin/env node
// A board of N UARTs for the ingest benchmark: writes Zephyr-like lines to one pty helper per
// port (stdin → pty master), paced like a UART at BAUD (10 bits per byte), each line carrying
// its port index, sequence number and the CLOCK_MONOTONIC µs at which its first byte is due.
// usage: ingest-generator.mjs HELPER DIR PORTS BAUD SECONDS
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const [helper, dir, portsArg, baudArg, secondsArg] = process.argv.slice(2);
const ports = Number(portsArg);
const baud = Number(baudArg);
const seconds = Number(secondsArg);
const monoUs = () => Number(process.hrtime.bigint() / 1000n);
const children = [];
for (let p = 0; p < ports; p++) children.push(spawn('python3', ['-u', helper, join(dir, `p${p}`)], { stdio: ['pipe', 'ignore', 'inherit'] }));
while (!children.every((_, p) => existsSync(join(dir, `p${p}`)))) await new Promise((r) => setTimeout(r, 10));
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve)); // the daemon has opened every port

const byteUs = 10e6 / baud;
const start = monoUs() + 2000;
const next = new Array(ports).fill(start);
const seq = new Array(ports).fill(0);
const end = start + seconds * 1e6;
let total = 0;
const T = 'T'.repeat(16);
while (monoUs() < end) {
  const now = monoUs();
  for (let p = 0; p < ports; p++) {
    // The lines due by now, paced at the UART's rate; `t` is filled in at write time.
    const batch = [];
    while (next[p] <= now) {
      const ms = (next[p] - start) / 1000;
      const stamp = `[00:00:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}.${String(Math.floor(ms % 1000)).padStart(3, '0')},000]`;
      const line = `${stamp} <inf> bench: p=${p} n=${seq[p]++} t=${T}\r\n`;
      batch.push(line);
      next[p] += line.length * byteUs;
      total++;
    }
    if (batch.length === 0) continue;
    // t = when the line's first byte became readable under the daemon's own model: the write
    // time, less the wire time of the bytes after it in this write (the daemon back-dates the
    // same way), so latency = the daemon's stamp minus t is what the daemon added.
    const w = monoUs();
    let after = batch.reduce((n, l) => n + l.length, 0);
    let out = '';
    for (const line of batch) {
      const t = Math.round(w - (after - 1) * byteUs);
      out += line.replace(T, String(t).padStart(16, '0'));
      after -= line.length;
    }
    children[p].stdin.write(out);
  }
  await new Promise((r) => setImmediate(r));
}
// Let the daemon read what is still in the ptys before the devices go away.
await new Promise((r) => setTimeout(r, 1000));
process.stdout.write(`sent ${total} ${seq.join(',')}\n`);
// Ending stdin unplugs each device once it has passed everything on; give them a moment, then go.
for (const c of children) c.stdin.end();
await new Promise((r) => setTimeout(r, 500));
for (const c of children) c.kill('SIGTERM');
process.exit(0);
