import type { Line } from '../daemon/core/line.ts';
import type { ParsedRecord } from '../daemon/core/parsed-record.ts';
import type { PortRole } from '../daemon/core/port-role.ts';

/**
 * Line → records for one port. Pure and synchronous: the only state is what joins several
 * lines into one record (fatal dumps, hexdumps, ESP-AT command/result pairs). Never throws:
 * unknown text is a `text` record.
 */
export interface LineParser {
  push(line: Line): ParsedRecord[];
  /** End of input: emit whatever is held back. */
  flush(): ParsedRecord[];
  /** After silence on a live port: emit held records except those still legitimately waiting (an AT command). */
  flushIdle(): ParsedRecord[];
  /** True when the line just pushed belongs to a multi-line secret (a `psk` or `AT+CWJAP` hexdump). */
  lastLineSecret?(line: Line): boolean;
}

export interface LineParserOptions {
  readonly role: PortRole;
}
