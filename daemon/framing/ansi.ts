/**
 * ANSI escape sequences as Zephyr, its shell and terminals emit them: CSI (`ESC [ … final`,
 * colours and cursor moves, reference/formats.md §1.3 and §2.6), OSC (`ESC ] … BEL|ST`) and
 * two-byte escapes. Removed from the text parsers see; kept in the capture and for display.
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}
