import { describe, expect, it } from 'vitest';
import { detectCaptureFormat } from '../../../parsers/capture-formats/detect-capture-format.ts';
import { createCaptureReader } from '../../../parsers/capture-formats/create-capture-reader.ts';

const Z = '[00:00:12.001,000] <err> wifi_esp_at: Failed to reset device: -116';
const us = (iso: string) => Date.parse(iso) * 1000;

describe('detectCaptureFormat', () => {
  it('names each tool from its first lines', () => {
    expect(detectCaptureFormat(['# uartscope capture v1 port=console', '2026-11-24T23:58:20.123456Z 42 crlf hello'])).toBe('uartscope');
    expect(detectCaptureFormat([`[22:55:12.288] ${Z}\r`, '[22:55:12.300] x\r'])).toBe('tio');
    expect(detectCaptureFormat(['[2025-04-29 21:17:07.740] *** Booting Zephyr OS build v4.1.0-1220-gf352f026f154 ***'])).toBe('tio');
    expect(detectCaptureFormat([`[0.300200 0.300200] ${Z}`, `usart2 [0.300230 0.300230] ${Z}`])).toBe('grabserial');
    expect(detectCaptureFormat([`[2026-11-24 22:57:02] ${Z}`, '[2026-11-24 22:57:24'])).toBe('minicom');
    expect(detectCaptureFormat([`[1.800] line-A`, `[0.300] ${Z}`])).toBe('minicom');
    expect(detectCaptureFormat(['[-- Console up -- Tue Nov 24 23:02:10 2026]\r', `[Tue Nov 24 23:02:13 2026]${Z}\r`])).toBe('conserver');
    expect(detectCaptureFormat(['- {"dt": "2026-11-24T22:57:02.123456", "lvl": "target", "msg": "hi"}'])).toBe('lava');
    expect(detectCaptureFormat([Z, '*** Booting Zephyr OS build v3.6.0 ***'])).toBe('plain');
    expect(detectCaptureFormat([])).toBe('plain');
  });

  it('never takes a Zephyr device stamp for a tio stamp', () => {
    expect(detectCaptureFormat(['[00:00:12.001,000] <inf> main: a', '[00:00:12.002,000] <inf> main: b'])).toBe('plain');
  });
});

describe('createCaptureReader', () => {
  it('reads every tio timestamp form and removes the CR', () => {
    const r = createCaptureReader('tio');
    expect(r(`[2026-11-24T22:55:47.820] ${Z}\r`)).toEqual({ hostTime: us('2026-11-24T22:55:47.820Z'), text: Z });
    expect(r('[2025-04-29 21:17:07.740] Uptime: 1 ms')).toEqual({ hostTime: us('2025-04-29T21:17:07.740Z'), text: 'Uptime: 1 ms' });
    expect(r('[1724419841.861] x')).toEqual({ hostTime: 1724419841_861_000, text: 'x' });
    expect(r('[1748009585.087083] x')).toEqual({ hostTime: 1748009585_087_083, text: 'x' });
    expect(r('[00:00:01.804] *** Booting Zephyr OS build v3.6.0 ***\r')).toEqual({ hostTime: 1_804_000, hostTimeRelative: true, text: '*** Booting Zephyr OS build v3.6.0 ***' });
    expect(r('[00:00:12.001,000] <inf> main: x')).toEqual({ text: '[00:00:12.001,000] <inf> main: x' });
  });

  it('keeps time-of-day stamps monotonic across midnight', () => {
    const r = createCaptureReader('tio');
    const a = r('[23:59:59.900] a')!.hostTime!;
    const b = r('[00:00:00.100] b')!.hostTime!;
    expect(b - a).toBe(200_000);
  });

  it('reads grabserial with one to three numbers, a label and the summary line', () => {
    const r = createCaptureReader('grabserial');
    expect(r(`[0.300200 0.300200] ${Z}`)).toEqual({ hostTime: 300_200, hostTimeRelative: true, text: Z });
    expect(r(`[22:52:46.912679 0.300232] ${Z}`)).toMatchObject({ hostTime: (22 * 3600 + 52 * 60 + 46) * 1e6 + 912_679, text: Z });
    expect(r(`[2026-11-24 22:53:06.388828 0.300090] x`)).toEqual({ hostTime: us('2026-11-24T22:53:06.388Z') + 828, text: 'x' });
    expect(r(`[22:54:18.048650 0.300086 0.300086] x`)).toMatchObject({ text: 'x', hostTimeRelative: true });
    expect(r(`usart2 [0.300230 0.300230] x`)).toEqual({ hostTime: 300_230, hostTimeRelative: true, text: 'x', port: 'usart2' });
    expect(r('The inlinepat: "Failed to reset" was matched at 0.600956')).toMatchObject({ marker: 'inlinepat matched', hostTime: 600_956 });
  });

  it('reads minicom simple, extended, delta and its per-second marker', () => {
    const r = createCaptureReader('minicom');
    expect(r(`[2026-11-24 22:57:02] ${Z}`)).toEqual({ hostTime: us('2026-11-24T22:57:02Z'), text: Z });
    expect(r(`[2026-11-24 22:57:12.796] ${Z}`)).toEqual({ hostTime: us('2026-11-24T22:57:12.796Z'), text: Z });
    expect(r('[2026-11-24 22:57:24\r')).toEqual({ hostTime: us('2026-11-24T22:57:24Z'), text: '', marker: 'timestamp' });
    expect(r('[0.300] a')).toEqual({ hostTime: 300_000, hostTimeRelative: true, text: 'a' });
    expect(r('[1.800] b')).toEqual({ hostTime: 2_100_000, hostTimeRelative: true, text: 'b' });
  });

  it('reads conserver stamps, zones and status lines', () => {
    const r = createCaptureReader('conserver');
    expect(r(`[Tue Nov 24 23:02:13 2026][00:00:00.010,000] <inf> main: Uptime: 10 ms\r`)).toEqual({ hostTime: us('2026-11-24T23:02:13Z'), text: '[00:00:00.010,000] <inf> main: Uptime: 10 ms' });
    expect(r('[-- Console up -- Tue Nov 24 23:02:10 2026]\r')).toEqual({ hostTime: us('2026-11-24T23:02:10Z'), text: '', marker: 'Console up' });
    expect(r('[Mon Jan 25 14:46:56 PST 1999]x')).toEqual({ hostTime: us('1999-01-25T22:46:56Z'), text: 'x' });
  });

  it('reads LAVA JSON and YAML lines; only target lines are device text', () => {
    const r = createCaptureReader('lava');
    expect(r('- {"dt": "2026-11-24T22:57:02.123456", "lvl": "target", "msg": "Uptime: 1 ms"}')).toEqual({ hostTime: us('2026-11-24T22:57:02.123Z') + 456, text: 'Uptime: 1 ms' });
    expect(r('{"dt": "2026-11-24T22:57:02.000001", "lvl": "info", "msg": "start: 1 deploy"}')).toMatchObject({ marker: 'info', text: 'start: 1 deploy' });
    expect(r("- {dt: '2026-11-24T22:57:03.5', lvl: target, msg: 'ready'}")).toEqual({ hostTime: us('2026-11-24T22:57:03.500Z'), text: 'ready' });
    expect(r('---')).toBeNull();
  });

  it('reads uartscope captures with the lead\'s codec', () => {
    const r = createCaptureReader('uartscope');
    expect(r('# uartscope capture v1')).toBeNull();
    const line = r('2026-11-24T23:58:20.123456Z 42 crlf [00:00:12.001,000] <err> x\\ty');
    expect(line).toMatchObject({ hostTime: us('2026-11-24T23:58:20.123Z') + 456, seq: 42, text: '[00:00:12.001,000] <err> x\ty' });
    expect(r('2026-11-24T23:58:21.000000Z - disconnected bad file descriptor')).toMatchObject({ marker: 'disconnected', text: 'bad file descriptor' });
  });

  it('passes plain lines through without CR', () => {
    expect(createCaptureReader('plain')('hello\r')).toEqual({ text: 'hello' });
  });
});
