import type { PortRole } from '../core/port-role.ts';

const ZEPHYR_LOG = /^(?:\S+ )?\[[^\]]+\] <(?:err|wrn|inf|dbg)> /;
const ZEPHYR_MINIMAL = /^[EWID]: /;
const ZEPHYR_MARK = /\*\*\* Booting (?:Zephyr|nRF Connect SDK|MCUboot)|ZEPHYR FATAL ERROR|^Uptime: \d+ ms|^uart:~\$/;
const HV_MARK = /\b(?:BAO|CROSSCONHYP) (?:INFO|WARNING|ERROR): |^Bao Hypervisor\b/;
const AT_LINE = /^(?:AT(?:\+[A-Z_]+.*)?|ATE[01]|OK|ERROR|FAIL|SEND OK|SEND FAIL|ready|WIFI (?:CONNECTED|DISCONNECT|GOT IP)|busy [ps]\.\.\.|\+[A-Z_]+:.*|\d,(?:CONNECT|CLOSED)|>)$/;

/**
 * What talks on a capture, from its first lines (formats §1, §5, §6 markers): Zephyr log
 * lines or banners → `zephyr`; hypervisor messages without Zephyr → `hypervisor`; mostly
 * ESP-AT protocol lines → `esp-at`; else `text`.
 */
export function guessRole(texts: readonly string[]): PortRole {
  let zephyr = 0;
  let hv = 0;
  let at = 0;
  let nonEmpty = 0;
  for (const raw of texts) {
    const t = raw.trim();
    if (t.length === 0) continue;
    nonEmpty++;
    if (ZEPHYR_LOG.test(raw) || ZEPHYR_MARK.test(t) || ZEPHYR_MINIMAL.test(t)) zephyr++;
    else if (HV_MARK.test(t)) hv++;
    else if (AT_LINE.test(t)) at++;
  }
  if (nonEmpty === 0) return 'text';
  if (hv > 0 && hv >= zephyr) return 'hypervisor';
  if (zephyr > 0 && zephyr >= at) return 'zephyr';
  if (at * 3 >= nonEmpty) return 'esp-at';
  if (zephyr > 0) return 'zephyr';
  return 'text';
}
