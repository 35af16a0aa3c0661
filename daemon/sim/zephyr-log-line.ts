/**
 * Zephyr's standard log line as `subsys/logging/log_output.c` puts it on a UART with the default
 * flags (reference/formats.md §1.1–§1.3): `[HH:MM:SS.mmm,uuu] ` (hours never wrap), the colour
 * start after the timestamp, `<lvl> module: message`, the colour reset, then CR LF.
 */
export type ZephyrLevel = 'err' | 'wrn' | 'inf' | 'dbg';

const ESC = '\x1b';
/**
 * §1.3: ERR bright red, WRN bright yellow; INF and DBG get the default `ESC[0m` unless
 * CONFIG_LOG_INFO_COLOR_GREEN / CONFIG_LOG_DBG_COLOR_BLUE, which the UC1 build does not set.
 */
const COLOR_START: Record<ZephyrLevel, string> = {
  err: `${ESC}[1;31m`,
  wrn: `${ESC}[1;33m`,
  inf: `${ESC}[0m`,
  dbg: `${ESC}[0m`,
};
const COLOR_RESET = `${ESC}[0m`;

/** `[HH:MM:SS.mmm,uuu]` from device microseconds since boot (default formatted form, §1.2). */
export function formatZephyrTimestamp(deviceUs: number): string {
  const us = Math.max(0, Math.floor(deviceUs));
  const totalMs = Math.floor(us / 1000);
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor(totalMs / 60_000) % 60;
  const seconds = Math.floor(totalMs / 1000) % 60;
  const ms = totalMs % 1000;
  const micro = us % 1000;
  const p = (n: number, w: number): string => String(n).padStart(w, '0');
  return `[${p(hours, 2)}:${p(minutes, 2)}:${p(seconds, 2)}.${p(ms, 3)},${p(micro, 3)}]`;
}

export function formatZephyrLogLine(
  deviceUs: number,
  level: ZephyrLevel,
  module: string,
  message: string,
  options: { colors?: boolean } = {},
): string {
  const colors = options.colors ?? true;
  const start = colors ? COLOR_START[level] : '';
  const reset = colors ? COLOR_RESET : '';
  return `${formatZephyrTimestamp(deviceUs)} ${start}<${level}> ${module}: ${message}${reset}\r\n`;
}
