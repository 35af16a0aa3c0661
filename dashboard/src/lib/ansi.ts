/**
 * SGR (ECMA-48 "Select Graphic Rendition", `ESC [ … m`) to styled text spans, so the device's
 * colours (Zephyr's `CONFIG_LOG_BACKEND_SHOW_COLOR`: red errors, yellow warnings) show in the
 * log. The output is data, rendered as text nodes: a line can never become markup. Every other
 * escape sequence (cursor moves, OSC titles) is dropped.
 */
export interface AnsiSpan {
  readonly text: string;
  /** 0–15 for the palette (rendered with classes), or `#rrggbb`. */
  readonly fg?: number | string;
  readonly bg?: number | string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
}

interface Style {
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

// ECMA-48 / ECMA-35 forms: CSI (ESC [ params final), OSC (ESC ] … BEL or ESC \), and every
// other escape (ESC, intermediates 0x20–0x2F, one final 0x30–0x7E: `ESC 7`, `ESC ( B`), or a lone ESC.
const ESCAPE = /\x1b(?:\[([0-9;:<=>?]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~]|$)/g;

function xterm256(n: number): number | string {
  if (n < 16) return n;
  if (n < 232) {
    const v = [0, 95, 135, 175, 215, 255];
    const i = n - 16;
    return rgb(v[Math.floor(i / 36)] ?? 0, v[Math.floor(i / 6) % 6] ?? 0, v[i % 6] ?? 0);
  }
  const g = 8 + (n - 232) * 10;
  return rgb(g, g, g);
}

function rgb(r: number, g: number, b: number): string {
  const h = (x: number) => Math.max(0, Math.min(255, x | 0)).toString(16).padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

function applySgr(style: Style, params: string): void {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] ?? 0;
    if (c === 0) {
      for (const k of Object.keys(style) as (keyof Style)[]) delete style[k];
    } else if (c === 1) style.bold = true;
    else if (c === 2) style.dim = true;
    else if (c === 3) style.italic = true;
    else if (c === 4) style.underline = true;
    else if (c === 22) { delete style.bold; delete style.dim; }
    else if (c === 23) delete style.italic;
    else if (c === 24) delete style.underline;
    else if (c >= 30 && c <= 37) style.fg = c - 30;
    else if (c >= 90 && c <= 97) style.fg = c - 90 + 8;
    else if (c === 39) delete style.fg;
    else if (c >= 40 && c <= 47) style.bg = c - 40;
    else if (c >= 100 && c <= 107) style.bg = c - 100 + 8;
    else if (c === 49) delete style.bg;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? 'fg' : 'bg';
      if (codes[i + 1] === 5 && codes[i + 2] !== undefined) {
        style[key] = xterm256(codes[i + 2] ?? 0);
        i += 2;
      } else if (codes[i + 1] === 2 && codes[i + 4] !== undefined) {
        style[key] = rgb(codes[i + 2] ?? 0, codes[i + 3] ?? 0, codes[i + 4] ?? 0);
        i += 4;
      }
    }
  }
}

export function parseAnsi(input: string): AnsiSpan[] {
  const spans: AnsiSpan[] = [];
  const style: Style = {};
  let last = 0;
  const push = (text: string) => {
    if (text) spans.push({ text, ...style });
  };
  for (const m of input.matchAll(ESCAPE)) {
    push(input.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'm') applySgr(style, m[1] ?? '');
  }
  push(input.slice(last));
  return spans;
}
