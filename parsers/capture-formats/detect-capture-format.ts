import { decodeCaptureLine } from '../../daemon/capture/capture-codec.ts';
import type { CaptureFormat } from './capture-line.ts';
import {
  CONSERVER_STAMP, CONSERVER_STATUS, GRABSERIAL_PREFIX, GRABSERIAL_SUMMARY, MINICOM_DATED, MINICOM_DELTA,
  MINICOM_MARKER, TIO_PREFIX,
} from './create-capture-reader.ts';

const LAVA = /^(?:- )?\{\s*"?dt"?\s*:/;
const MINICOM_ONLY_DATED = /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] /;

/**
 * Which tool wrote a capture, from its first lines: the format whose prefix most of the
 * non-empty lines carry; `plain` when none does. tio's `[YYYY-MM-DD HH:MM:SS.mmm]` and
 * minicom's extended form are the same text (and read the same); minicom is chosen only
 * when a form that only minicom writes appears (seconds-only stamps, the bare per-second
 * marker, `[0.300]` deltas).
 */
export function detectCaptureFormat(firstLines: readonly string[]): CaptureFormat {
  const lines = firstLines.slice(0, 200).map((l) => l.replace(/\r/g, '')).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return 'plain';
  if (lines[0]!.startsWith('# uartscope capture')) return 'uartscope';
  const score: Record<CaptureFormat, number> = { uartscope: 0, tio: 0, grabserial: 0, minicom: 0, conserver: 0, lava: 0, plain: 0 };
  let minicomOnly = 0;
  for (const l of lines) {
    if (decodeCaptureLine(l) !== null) score.uartscope++;
    if (LAVA.test(l)) score.lava++;
    if (CONSERVER_STAMP.test(l) || CONSERVER_STATUS.test(l)) score.conserver++;
    if (GRABSERIAL_PREFIX.test(l) || GRABSERIAL_SUMMARY.test(l)) score.grabserial++;
    if (TIO_PREFIX.test(l)) score.tio++;
    const mcOnly = MINICOM_ONLY_DATED.test(l) || MINICOM_MARKER.test(l) || MINICOM_DELTA.test(l);
    if (mcOnly) minicomOnly++;
    if (mcOnly || MINICOM_DATED.test(l)) score.minicom++;
  }
  if (minicomOnly === 0) score.minicom = Math.min(score.minicom, score.tio - 1);
  const order: CaptureFormat[] = ['uartscope', 'lava', 'conserver', 'grabserial', 'tio', 'minicom'];
  let best: CaptureFormat = 'plain';
  let bestScore = 0;
  for (const f of order) {
    if (score[f] > bestScore) {
      best = f;
      bestScore = score[f];
    }
  }
  // A plain Zephyr log whose first lines happen to match by chance stays plain.
  return bestScore * 2 >= lines.length ? best : 'plain';
}
