/**
 * Bao and CROSSCON hypervisor console output (reference/formats.md §6).
 *
 * `INFO(...)`/`WARNING(...)`/`ERROR(...)` print `BAO INFO: ` … with no newline of their own
 * on Bao and on the CROSSCON Armv8-M port (which kept the Bao prefixes), and
 * `CROSSCONHYP INFO: ` … on CROSSCON main. Messages without newline run together on one
 * physical line, and `ERROR` hangs the CPU, so the prefixes are searched anywhere in a line.
 */
export type HvLevel = 'INFO' | 'WARNING' | 'ERROR';

export interface HvMessage {
  readonly hv: 'bao' | 'crosscon';
  readonly hvLevel: HvLevel;
  readonly message: string;
}

export interface HvSplit {
  /** Text before the first hypervisor prefix (a guest's output the message interrupted), trimmed. */
  readonly before: string;
  readonly messages: HvMessage[];
}

const PREFIX = /(BAO|CROSSCONHYP) (INFO|WARNING|ERROR): /g;

export function mayHoldHypervisorMessage(text: string): boolean {
  return text.includes('BAO ') || text.includes('CROSSCONHYP ');
}

export function splitHypervisorMessages(text: string): HvSplit | null {
  PREFIX.lastIndex = 0;
  const starts: { index: number; end: number; hv: 'bao' | 'crosscon'; hvLevel: HvLevel }[] = [];
  for (let m = PREFIX.exec(text); m !== null; m = PREFIX.exec(text)) {
    starts.push({ index: m.index, end: m.index + m[0].length, hv: m[1] === 'BAO' ? 'bao' : 'crosscon', hvLevel: m[2] as HvLevel });
  }
  if (starts.length === 0) return null;
  const messages: HvMessage[] = starts.map((s, i) => ({
    hv: s.hv,
    hvLevel: s.hvLevel,
    message: text.slice(s.end, i + 1 < starts.length ? starts[i + 1]!.index : text.length).trim(),
  }));
  return { before: text.slice(0, starts[0]!.index).trim(), messages };
}

const BAO_BANNER = /^Bao Hypervisor(?: (\S+))?(?: \((.*)\))?\s*$/;

/** `Bao Hypervisor v1.0.0-12-gabc1234 (Jul 23 2026 - 23:48:33)`, or just `Bao Hypervisor` on exp/armv8m. */
export function matchBaoBanner(text: string): { version: string | null; built: string | null } | null {
  if (!text.startsWith('Bao Hypervisor')) return null;
  const m = BAO_BANNER.exec(text);
  if (!m) return null;
  return { version: m[1] ?? null, built: m[2] ?? null };
}

// The CROSSCON logo (CROSSCON-Hypervisor src/core/init.c @0416778c): 14 art lines, the last
// ending with __TIME__ (`         |___/|_| 14:02:11`). No version string.
const ART_FIRST = '   _____ _____   ____   _____ _____  _____ ____  _   _';
const ART_CHARS = /^[ _|/\\()`'.,V<>-]+$/;
const ART_LAST = /^ +\|___\/\|_\| (\d{2}:\d{2}:\d{2})\s*$/;

export function isCrossconArtStart(text: string): boolean {
  return text.startsWith(ART_FIRST);
}

export function isCrossconArtLine(text: string): boolean {
  return text.length > 0 && ART_CHARS.test(text);
}

/** The build time on the logo's last line, or null. */
export function crossconArtEnd(text: string): string | null {
  const m = ART_LAST.exec(text);
  return m ? m[1]! : null;
}
