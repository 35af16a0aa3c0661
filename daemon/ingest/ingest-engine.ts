import type { Subscription } from 'rxjs';
import type { HostClock } from '../core/host-time.ts';
import type { PortStatus } from '../core/port-status.ts';
import type { Config } from '../config/schema.ts';
import type { PortConfig } from '../config/sections/ports.ts';
import { parseSource } from '../config/port-spec.ts';
import { CaptureWriter } from '../capture/capture-writer.ts';
import { LineFramer } from '../framing/line-framer.ts';
import { redactLine } from '../pipeline/redact-line.ts';
import type { PortInfo } from '../pipeline/runtime.ts';
import { replaySource } from '../sources/replay-source.ts';
import { serialSource } from '../sources/serial-source.ts';
import type { SerialOpener } from '../sources/serial-opener.ts';
import type { Source, SourceItem } from '../sources/source.ts';
import { simSource } from '../sources/sim-source.ts';
import { tcpSource } from '../sources/tcp-source.ts';
import type { IngestItem } from './ingest-item.ts';

export interface IngestEngineOptions {
  readonly config: Config;
  readonly dataDir: string;
  readonly clock: HostClock;
  /** seq each port continues from (the store's view); the capture files are consulted too. */
  readonly firstSeq: (port: string) => number | undefined;
  /** Receives every line (already in the capture, secrets redacted) and status change. Must not block. */
  readonly onItem: (item: IngestItem) => void;
  readonly onProblem: (message: string) => void;
  /** Opens serial devices; on the main thread, whichever thread reads them (serial-opener.ts). */
  readonly openSerial: SerialOpener;
  /** Whether analysis can take more lines now; replays at `max` speed wait for it (replay-source.ts). */
  readonly hasRoom: () => boolean;
}

interface PortRunner {
  readonly info: PortInfo;
  readonly config: PortConfig;
  readonly source: Source;
  readonly framer: LineFramer;
  readonly idleMs: number;
  idleTimer?: NodeJS.Timeout;
  lastDataMono: number;
  subscription?: Subscription;
  everConnected: boolean;
}

function createSource(port: PortConfig, clock: HostClock, open: SerialOpener, hasRoom: () => boolean): Source {
  const parsed = parseSource(port);
  switch (parsed.kind) {
    case 'serial': return serialSource({ port: port.name, path: parsed.path, baud: port.baud, clock, open });
    case 'usb': return serialSource({ port: port.name, ...(port.usb ? { usb: port.usb } : {}), baud: port.baud, clock, open });
    case 'tcp': return tcpSource({ port: port.name, host: parsed.host, tcpPort: parsed.port, clock });
    case 'replay': return replaySource({ port: port.name, file: parsed.file, speed: parsed.speed, clock, hasRoom });
    case 'sim': return simSource({ port: port.name, scenario: parsed.scenario, uart: parsed.uart, speed: parsed.speed, clock });
  }
}

/**
 * The ingest edge: for every port a source and a framer, and the capture writer. Host time is
 * taken here, the capture gets every line synchronously in the source's data callback, and
 * nothing downstream can make a source wait: `onItem` must only queue.
 */
export class IngestEngine {
  readonly capture: CaptureWriter;
  readonly #o: IngestEngineOptions;
  readonly #runners = new Map<string, PortRunner>();
  #stopped = false;
  #tick: NodeJS.Timeout | undefined;

  constructor(options: IngestEngineOptions) {
    this.#o = options;
    const { config } = options;
    this.capture = new CaptureWriter({ dataDir: options.dataDir, maxFileBytes: config.data.capture.max_file_bytes, flushIntervalMs: config.data.capture.flush_interval_ms });
    for (const port of config.ports) {
      if (this.#runners.has(port.name)) throw new Error(`port names must be unique: "${port.name}" appears twice`);
      const framing = { ...config.framing, ...port.framing };
      const info: PortInfo = {
        name: port.name, role: port.role, source: port.source ?? `usb:${port.usb?.vendor_id}:${port.usb?.product_id ?? '*'}`,
        baud: port.baud, state: 'retrying', lines: 0, bytes: 0, truncated: 0, partial: 0, dropped: 0, reconnects: 0,
      };
      // Continue numbering after whatever a previous run left, in the store or in the captures.
      const firstSeq = Math.max(options.firstSeq(port.name) ?? 0, this.capture.nextSeq(port.name));
      const framer = new LineFramer({
        port: port.name, baud: port.baud, maxLineBytes: framing.max_line_bytes, firstSeq,
        onLine: (line) => {
          this.capture.writeLine(line);
          info.lines++;
          info.lastLineAt = line.hostTime;
          if (line.flags.truncated) info.truncated++;
          if (line.flags.partial) info.partial++;
          options.onItem(redactLine(line));
        },
      });
      this.#runners.set(port.name, { info, config: port, source: createSource(port, options.clock, options.openSerial, options.hasRoom), framer, idleMs: framing.idle_flush_ms, lastDataMono: 0, everConnected: false });
    }
  }

  ports(): PortInfo[] {
    return [...this.#runners.values()].map((r) => r.info);
  }

  /** Opens every source; resolves when every source has ended for good (replays at their end). */
  start(): Promise<void> {
    const ended: Promise<void>[] = [];
    for (const runner of this.#runners.values()) {
      this.capture.open(runner.info.name, runner.info.source, this.#o.clock.now());
      ended.push(new Promise<void>((resolve) => {
        runner.subscription = runner.source.items$.subscribe({
          next: (item) => {
            if (item.type === 'data') {
              runner.info.bytes += item.bytes.length;
              runner.lastDataMono = performance.now();
              runner.framer.push(item.bytes, item.at);
              if (runner.framer.holding && !runner.idleTimer) runner.idleTimer = setTimeout(() => this.#idleFlush(runner), runner.idleMs);
            } else this.#onState(runner, item);
          },
          error: (err: Error) => { this.#o.onProblem(`port ${runner.info.name}: source failed: ${err.message}`); resolve(); },
          complete: () => resolve(),
        });
      }));
    }
    this.#tick = setInterval(() => {
      if (this.capture.lastError) { this.#o.onProblem(this.capture.lastError); this.capture.lastError = undefined; }
    }, 1000);
    this.#tick.unref();
    return Promise.all(ended).then(() => undefined);
  }

  async write(port: string, bytes: Uint8Array): Promise<void> {
    const r = this.#runners.get(port);
    if (!r) throw new Error(`no port named "${port}"`);
    if (!r.source.write) throw new Error(`port ${port} is a ${r.source.kind} source and cannot be written`);
    await r.source.write(bytes);
    this.capture.writeMarker(port, this.#o.clock.now(), 'tx', Buffer.from(bytes).toString('utf8'));
  }

  /** Closes the sources, ends held lines, writes the close markers and closes the capture. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#tick) clearInterval(this.#tick);
    const now = this.#o.clock.now();
    for (const r of this.#runners.values()) {
      r.subscription?.unsubscribe();
      if (r.idleTimer) clearTimeout(r.idleTimer);
      r.framer.flushIdle();
      this.capture.writeMarker(r.info.name, now, 'close', 'uartscope stopped');
    }
    this.capture.close();
  }

  #idleFlush(runner: PortRunner): void {
    runner.idleTimer = undefined;
    if (!runner.framer.holding) return;
    const quietFor = performance.now() - runner.lastDataMono;
    if (quietFor >= runner.idleMs) runner.framer.flushIdle();
    else runner.idleTimer = setTimeout(() => this.#idleFlush(runner), runner.idleMs - quietFor + 1);
  }

  #onState(runner: PortRunner, item: Extract<SourceItem, { type: 'state' }>): void {
    const { info } = runner;
    const previous = info.state;
    info.state = item.state;
    if (item.path !== undefined) info.path = item.path;
    if (item.state === 'connected') {
      delete info.lastError;
      if (runner.everConnected) info.reconnects++;
      this.capture.writeMarker(info.name, item.at, runner.everConnected ? 'reconnected' : 'open', `${item.path ?? ''} baud=${info.baud}`);
      runner.everConnected = true;
    } else {
      if (item.reason) info.lastError = item.reason;
      // Whatever the device sent before it went away is a (partial) line of its own.
      runner.framer.flushIdle();
      const marker = item.state === 'gone' ? 'gone' : previous === 'connected' ? 'disconnected' : 'retrying';
      this.capture.writeMarker(info.name, item.at, marker, item.reason ?? '');
      if (item.reason && item.reason !== 'end of file') this.#o.onProblem(item.reason);
    }
    const status: PortStatus = { port: info.name, state: item.state, hostTime: item.at, ...(item.reason ? { reason: item.reason } : {}) };
    this.#o.onItem(status);
  }
}
