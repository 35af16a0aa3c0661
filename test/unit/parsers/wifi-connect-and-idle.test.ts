import { describe, expect, it } from 'vitest';
import { createLineParser } from '../../../parsers/create-line-parser.ts';
import { makeLine } from './make-line.ts';

describe('the UC1 app connect lines (formats.md §3.6)', () => {
  it('reads "Connected to Wi-Fi network X" as an accepted request, not as a connection', () => {
    const p = createLineParser({ role: 'zephyr' });
    const [accepted] = p.push(makeLine('[00:00:00.469,000] <inf> MAIN: Connected to Wi-Fi network rpi3-hotspot', 0));
    expect(accepted).toMatchObject({ kind: 'wifi.connecting', fields: { ssid: 'rpi3-hotspot', accepted: true } });
    const [result] = p.push(makeLine('[00:00:02.622,000] <inf> MAIN: Connected to rpi3-hotspot', 1));
    expect(result).toMatchObject({ kind: 'wifi.connected', fields: { ssid: 'rpi3-hotspot' } });
  });
});

describe('flushing after silence on a live port', () => {
  it('keeps an AT command waiting for its result, so a slow AT+CWJAP still pairs with its OK', () => {
    const p = createLineParser({ role: 'esp-at' });
    const t0 = 1_700_000_000_000_000;
    expect(p.push(makeLine('AT+CWJAP="ap","pw"', 0, t0))).toEqual([]);
    expect(p.flushIdle()).toEqual([]);
    p.push(makeLine('WIFI CONNECTED', 1, t0 + 2_150_000));
    const out = [...p.push(makeLine('WIFI GOT IP', 2, t0 + 3_400_000)), ...p.push(makeLine('OK', 3, t0 + 3_700_000))];
    const cmd = out.find((r) => r.kind === 'esp-at.command');
    expect(cmd).toMatchObject({ level: 'inf', lastSeq: 3, fields: { result: 'OK', durationUs: 3_700_000 } });
  });

  it('still ends a fault dump that never reached "Halting system"', () => {
    const p = createLineParser({ role: 'zephyr' });
    p.push(makeLine('[00:00:05.120,000] <err> os: ***** BUS FAULT *****', 0));
    p.push(makeLine('[00:00:05.121,000] <err> os: >>> ZEPHYR FATAL ERROR 25: Unknown error on CPU 0', 1));
    expect(p.flushIdle().map((r) => r.kind)).toContain('zephyr.fatal');
  });
});
