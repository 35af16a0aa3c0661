import type { Line } from './line.ts';

/** Zephyr's four levels (`<err>` `<wrn>` `<inf>` `<dbg>`); other dialects map onto them. */
export type Level = 'err' | 'wrn' | 'inf' | 'dbg';

export type Dialect = 'zephyr' | 'wifi_esp_at' | 'esp-at' | 'hypervisor' | 'rule' | 'text';

/** Which device clock a device time was read from; one drift series per source. */
export type DeviceTimeSource = 'log' | 'uptime' | 'cycles';

export interface DeviceTime {
  /** µs since the device's boot, as the device counts it. */
  readonly us: number;
  readonly source: DeviceTimeSource;
  /** Resolution of the printed value in µs (1000 for `,000` ms-resolution Zephyr stamps). */
  readonly resolutionUs: number;
}

export type FieldValue = string | number | boolean | null;

/**
 * What a parser understood of one line (or of several: a fatal dump, a hexdump).
 * Named `ParsedRecord` in code, `Record` in DESIGN.md: TypeScript's global `Record`
 * would otherwise be shadowed in every file that imports it.
 */
export interface ParsedRecord {
  /** The line this record starts at. */
  readonly line: Line;
  /** seq of the last line that belongs to this record (== line.seq for one-line records). */
  readonly lastSeq: number;
  readonly dialect: Dialect;
  /** A stable, dotted, finer name: `zephyr.log`, `zephyr.banner`, `zephyr.fatal`, `esp-at.command`, `hv.log`, `text` … */
  readonly kind: string;
  readonly level?: Level;
  readonly module?: string;
  readonly deviceTime?: DeviceTime;
  /** The message with prefixes removed, secrets redacted. */
  readonly message: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
}
