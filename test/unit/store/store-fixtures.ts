import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Boot } from '../../../daemon/core/boot.ts';
import type { BusEvent } from '../../../daemon/core/bus-event.ts';
import type { DriftFit } from '../../../daemon/core/drift-fit.ts';
import type { HostTime } from '../../../daemon/core/host-time.ts';
import type { Line } from '../../../daemon/core/line.ts';

/** 2026-11-24T23:00:00Z in µs: a fixed "now" for stores opened with a test clock. */
export const T0: HostTime = Date.parse('2026-11-24T23:00:00Z') * 1000;

export class TestClock {
  constructor(public t: HostTime = T0) {}
  now(): HostTime {
    return this.t;
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'uartscope-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let n = 0;
export function event(over: Partial<BusEvent> = {}): BusEvent {
  n++;
  const port = over.port ?? 'console';
  return {
    id: `${port}:${n}`,
    kind: 'fault',
    severity: 'critical',
    port,
    boot: `${port}#0`,
    hostTime: T0 + n,
    deviceTime: 1_234_000,
    title: 'HARD FAULT in thread main',
    attrs: { faultType: 'HARD FAULT', pc: '0x1000abcd', reasonCode: 0, fatal: true, thread: null },
    hint: 'look at PC',
    lines: { port, first: 10, last: 14 },
    ...over,
  };
}

export function boot(over: Partial<Boot> = {}): Boot {
  const port = over.port ?? 'console';
  const index = over.index ?? 0;
  return {
    id: `${port}#${index}`,
    port,
    index,
    hostStart: T0,
    firstSeq: 0,
    banner: '*** Booting Zephyr OS build v4.1.0 ***',
    version: 'v4.1.0',
    kind: 'zephyr',
    milestones: [{ name: 'banner', hostTime: T0, deviceTime: 0, seq: 0 }],
    endReason: 'running',
    ...over,
  };
}

export function fit(over: Partial<DriftFit> = {}): DriftFit {
  return {
    port: 'console',
    boot: 'console#0',
    source: 'uptime',
    ratio: 0.125,
    ppm: -875_000,
    uncertaintyPpm: 120,
    samples: 9,
    spanS: 8,
    verdict: 'drift',
    hint: 'CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC=12000000',
    ...over,
  };
}

export function line(port: string, seq: number): Line {
  const text = `[00:00:0${seq % 10}.000,000] <inf> main: line ${seq}`;
  return {
    port,
    seq,
    hostTime: T0 + seq,
    bytes: new TextEncoder().encode(`${text}\r\n`),
    terminator: 'crlf',
    text,
    nonTextBytes: 0,
    flags: { partial: false, truncated: false },
  };
}
