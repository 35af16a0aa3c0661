import type { HostTime } from './host-time.ts';

/** How a line ended on the wire. `none` = flushed on idle (partial) or cut at the length limit. */
export type Terminator = 'lf' | 'crlf' | 'cr' | 'none';

export interface LineFlags {
  /** Flushed after the idle time without a terminator (a hypervisor's `BAO ERROR: …` then a halted CPU). */
  readonly partial: boolean;
  /** Cut at `max_line_bytes`; the rest of the bytes follow as the next line. */
  readonly truncated: boolean;
}

/**
 * One line as received: the unit of capture and of `seq`.
 *
 * `seq` is gapless per port from the first line the daemon saw (a restart continues
 * the port's numbering from the store when there is one), so any loss downstream is visible.
 */
export interface Line {
  readonly port: string;
  readonly seq: number;
  /** When the line's first byte arrived (back-dated inside a read chunk by wire time at the port's baud). */
  readonly hostTime: HostTime;
  /** The exact bytes received, terminator included: what the capture stores. */
  readonly bytes: Uint8Array;
  readonly terminator: Terminator;
  /** Decoded UTF-8 (U+FFFD for invalid bytes), terminator removed, ANSI escape sequences removed: what parsers read. */
  readonly text: string;
  /** Decoded UTF-8 with the ANSI sequences kept, only when the line had any (for rendering colours). */
  readonly ansi?: string;
  /** Bytes that are neither printable text nor common whitespace/escape: wrong baud rate, ROM noise. */
  readonly nonTextBytes: number;
  readonly flags: LineFlags;
}
