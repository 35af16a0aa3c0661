import type { SimWrite } from './sim-write.ts';
import { SIM_UARTS, UART_NAMES, type UartName } from './sim-uart.ts';
import { formatZephyrLogLine, type ZephyrLevel } from './zephyr-log-line.ts';

const encoder = new TextEncoder();

/**
 * The clock a scenario is written against. `now` is the host time (ms since script start) at
 * which the board *does* something; what it sends leaves the UART when the wire is free
 * (10 bit times a byte at the port's baud), so a burst of lines logged at one instant arrives
 * spread out, and every line arrives at or after its device timestamp, as on the board
 * (DESIGN.md "Clock drift": delays are always positive).
 *
 * The Zephyr VM's device clock starts at `bootDevice()` and advances `factor` device ms per host
 * ms; Zephyr's log timestamps and `k_uptime_get()` are both that kernel uptime at 1000 Hz
 * (reference/formats.md §1.4), so both show the same factor.
 */
export class SimTimeline {
  readonly factor: number;
  #now = 0;
  #lastAt = 0;
  #bootAt = 0;
  #wireFree: Record<UartName, number>;

  constructor(options: { factor?: number } = {}) {
    this.factor = options.factor ?? 1;
    this.#wireFree = Object.fromEntries(UART_NAMES.map((u) => [u, 0])) as Record<UartName, number>;
  }

  /** Host ms since the script started. */
  get now(): number {
    return this.#now;
  }

  /** The host time at which everything sent so far has left its UART. */
  get quietAt(): number {
    return Math.max(this.#now, ...UART_NAMES.map((u) => this.#wireFree[u]));
  }

  wait(hostMs: number): this {
    this.#now += Math.max(0, hostMs);
    return this;
  }

  /** Waits until every UART has finished sending. */
  drain(): this {
    this.#now = this.quietAt;
    return this;
  }

  /** Moves on by `deviceMs` of device time (k_sleep on the VM): 1/factor as much host time. */
  waitDevice(deviceMs: number): this {
    return this.wait(deviceMs / this.factor);
  }

  /** Moves to device time `deviceMs` since boot, unless already past it. */
  atDevice(deviceMs: number): this {
    this.#now = Math.max(this.#now, this.#bootAt + deviceMs / this.factor);
    return this;
  }

  /** The Zephyr VM (re)starts now: device time 0. */
  bootDevice(): this {
    this.#bootAt = this.#now;
    return this;
  }

  /** Kernel uptime in device ms (1000 Hz, truncated as k_uptime_get does). */
  deviceMs(): number {
    // The epsilon keeps atDevice(N) from reading back as N-1 through float rounding.
    return Math.floor((this.#now - this.#bootAt) * this.factor + 1e-6);
  }

  /** Bytes sent on a UART now; they go out when its wire is free. */
  send(uart: UartName, bytes: Uint8Array | string): SimWrite {
    const data = typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
    const wireMsPerByte = (10 / SIM_UARTS[uart].baud) * 1000;
    // Never earlier than an already scheduled write: the script stays in time order across
    // UARTs (the shift is at most one line's wire time).
    const atMs = Math.max(this.#now, this.#wireFree[uart], this.#lastAt);
    this.#wireFree[uart] = atMs + data.length * wireMsPerByte;
    this.#lastAt = atMs;
    return { atMs, uart, bytes: data };
  }

  /** A text line with CR LF, as Bao's console_write and ESP-AT send them. */
  line(uart: UartName, text: string): SimWrite {
    return this.send(uart, `${text}\r\n`);
  }

  /** A Zephyr log line stamped with the device time now. */
  log(level: ZephyrLevel, module: string, message: string, uart: UartName = 'console'): SimWrite {
    return this.send(uart, formatZephyrLogLine(this.deviceMs() * 1000, level, module, message));
  }

  /** A printk line: no prefix, `\n` turned into CR LF (reference/formats.md §1.5). */
  printk(text: string, uart: UartName = 'console'): SimWrite {
    return this.send(uart, `${text}\r\n`);
  }
}
