/**
 * One line of ESP-AT protocol traffic (reference/formats.md §5.1–5.3), recognised without
 * state. `strong` says the line could hardly be anything else (a command, `ready`,
 * `WIFI GOT IP`, `+CWJAP:`…); weak lines (`OK`, `ERROR`, `>`) count as AT traffic on a
 * console port only while a command waits for its result.
 */
export type AtLine =
  | { readonly type: 'command'; readonly command: string; readonly strong: true }
  | { readonly type: 'final'; readonly result: AtResult; readonly strong: boolean }
  | { readonly type: 'errcode'; readonly code: string; readonly strong: true }
  | { readonly type: 'ready'; readonly strong: true }
  | { readonly type: 'wifi'; readonly state: 'connected' | 'got_ip' | 'disconnect' | 'got_ipv6'; readonly strong: true }
  | { readonly type: 'cwjap'; readonly code: number; readonly strong: true }
  | { readonly type: 'ip'; readonly ip: string; readonly strong: true }
  | { readonly type: 'info'; readonly what: string; readonly strong: boolean };

export type AtResult = 'OK' | 'ERROR' | 'FAIL' | 'SEND OK' | 'SEND FAIL' | 'SET OK' | 'none';

const COMMAND = /^AT(?:\+[A-Z][A-Z0-9_]*(?:[=?].*)?|E[01]|&[A-Z0-9]+)?$/;
const FINALS: ReadonlyMap<string, AtResult> = new Map([
  ['OK', 'OK'], ['ERROR', 'ERROR'], ['FAIL', 'FAIL'], ['SEND OK', 'SEND OK'], ['SEND FAIL', 'SEND FAIL'], ['SET OK', 'SET OK'],
]);
const CWJAP_ERROR = /^\+CWJAP:([1-4])$/;
const CIPSTA_IP = /^\+CIPSTA(?:_CUR)?:ip:"?([0-9.]+)"?$/;
const PLUS_INFO = /^\+([A-Z][A-Z0-9_]*)(?:[:,]|$)/;
const LINK = /^\d,(?:CONNECT|CLOSED|CONNECT FAIL)$/;
const VERSION = /^(AT version|SDK version|Bin version|compile time(?:\([^)]*\))?):/;
const ERR_CODE = /^ERR CODE:(0x[0-9a-fA-F]+)$/;
const RECV = /^Recv \d+ bytes$/;

/** Meanings of `+CWJAP:<code>` (formats.md §5.3). */
export const CWJAP_MEANING: Readonly<Record<number, string>> = {
  1: 'connection timeout',
  2: 'wrong password',
  3: 'cannot find the target AP',
  4: 'connection failed',
};

export function recogniseAtLine(text: string): AtLine | null {
  const c = text.charCodeAt(0);
  switch (c) {
    case 65: // A
      if (COMMAND.test(text)) return { type: 'command', command: text, strong: true };
      if (text.startsWith('AT version:')) return { type: 'info', what: 'version', strong: true };
      return null;
    case 79: // O
    case 69: // E
    case 70: // F
    case 83: { // S
      const r = FINALS.get(text);
      if (r !== undefined) return { type: 'final', result: r, strong: r === 'SEND OK' || r === 'SEND FAIL' || r === 'SET OK' };
      if (c === 69) {
        const m = ERR_CODE.exec(text);
        if (m) return { type: 'errcode', code: m[1]!, strong: true };
      }
      if (c === 83 && text.startsWith('SDK version:')) return { type: 'info', what: 'version', strong: true };
      return null;
    }
    case 114: // r
      return text === 'ready' ? { type: 'ready', strong: true } : null;
    case 87: // W
      if (text === 'WIFI CONNECTED') return { type: 'wifi', state: 'connected', strong: true };
      if (text === 'WIFI GOT IP') return { type: 'wifi', state: 'got_ip', strong: true };
      if (text === 'WIFI DISCONNECT') return { type: 'wifi', state: 'disconnect', strong: true };
      if (text === 'WIFI GOT IPv6 LL' || text === 'WIFI GOT IPv6 GL') return { type: 'wifi', state: 'got_ipv6', strong: true };
      if (text === 'Will force to restart!!!') return { type: 'info', what: 'restart', strong: true };
      return null;
    case 43: { // +
      let m = CWJAP_ERROR.exec(text);
      if (m) return { type: 'cwjap', code: Number(m[1]), strong: true };
      if ((m = CIPSTA_IP.exec(text))) return { type: 'ip', ip: m[1]!, strong: true };
      if ((m = PLUS_INFO.exec(text))) return { type: 'info', what: m[1]!, strong: true };
      return null;
    }
    case 98: // b
      return text === 'busy p...' || text === 'busy s...' ? { type: 'info', what: 'busy', strong: true } : null;
    case 62: // >
      return text === '>' || text === '> ' ? { type: 'info', what: 'prompt', strong: false } : null;
    case 82: // R
      return RECV.test(text) ? { type: 'info', what: 'recv', strong: true } : null;
    case 66: // B
    case 99: // c
      return VERSION.test(text) ? { type: 'info', what: 'version', strong: true } : null;
    default:
      if (c >= 48 && c <= 52 && LINK.test(text)) return { type: 'info', what: 'link', strong: true };
      return null;
  }
}
