import { describe, expect, it } from 'vitest';

import type { Line } from '../../../daemon/core/line.ts';
import type { ParsedRecord } from '../../../daemon/core/parsed-record.ts';
import { LiveState } from '../../../daemon/server/live-state.ts';

const line = (port: string, seq: number, text = `l${seq}`): Line => ({
  port, seq, hostTime: 1000 + seq, bytes: new Uint8Array(), terminator: 'lf', text, nonTextBytes: 0, flags: { partial: false, truncated: seq === 2 },
});
const record = (l: Line): ParsedRecord => ({ line: l, lastSeq: l.seq, dialect: 'zephyr', kind: 'zephyr.log', level: 'wrn', module: 'net', deviceTime: { us: 5, source: 'log', resolutionUs: 1 }, message: 'm', fields: {} });
/** What a client receives: the lines as JSON carries them. */
const onWire = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));
const state = () => new LiveState({ ringLinesPerPort: 10, recentEvents: 5, bootsPerPort: 2, maxPendingLines: 100 });

describe('LiveState', () => {
  it('puts a record\'s columns on its line while the line is still pending', () => {
    const s = state();
    const l = line('c', 0);
    s.apply({ type: 'line', line: l });
    s.apply({ type: 'record', record: record(l) });
    const d = s.take();
    expect(onWire(d.lines)).toEqual([{ port: 'c', seq: 0, t: 1000, text: 'l0', level: 'wrn', module: 'net', dt: 5, dts: 'log' }]);
    expect(d.notes).toEqual([]);
  });

  it('sends a note for a record that arrives after its line went out', () => {
    const s = state();
    const l = line('c', 0);
    s.apply({ type: 'line', line: l });
    s.take();
    s.apply({ type: 'record', record: record(l) });
    expect(s.take().notes).toEqual([{ port: 'c', seq: 0, level: 'wrn', module: 'net', dt: 5, dts: 'log' }]);
  });

  it('marks partial and truncated lines and never passes a Wi-Fi password on', () => {
    const s = state();
    s.apply({ type: 'line', line: line('esp', 2, 'AT+CWJAP="a","secret"') });
    expect(s.take().lines[0]).toMatchObject({ text: 'AT+CWJAP="a","[redacted]"', flags: 't' });
  });

  it('keeps only firing alerts, the newest boots per port and the newest events', () => {
    const s = state();
    const alert = { id: 'a', rule: 'r', port: 'c', kind: 'fault', firstAt: 1, lastAt: 1, count: 1, title: 't', eventId: 'e' };
    s.apply({ type: 'alert', alert: { ...alert, state: 'firing' } });
    expect([...s.firing.keys()]).toEqual(['a']);
    s.apply({ type: 'alert', alert: { ...alert, state: 'resolved' } });
    expect(s.firing.size).toBe(0);
    for (let i = 0; i < 4; i++) s.apply({ type: 'boot', boot: { id: `b${i}`, port: 'c', index: i, hostStart: i, firstSeq: 0, kind: 'zephyr', milestones: [], endReason: 'running' } });
    expect([...s.boots.keys()]).toEqual(['b2', 'b3']);
    for (let i = 0; i < 8; i++) s.apply({ type: 'event', event: { id: `e${i}`, kind: 'stall', severity: 'warning', port: 'c', boot: null, hostTime: i, title: 't', attrs: {}, lines: { port: 'c', first: 0, last: 0 } } });
    expect(s.events.map((e) => e.id)).toEqual(['e3', 'e4', 'e5', 'e6', 'e7']);
  });

  it('flags a batch that overflowed instead of growing it', () => {
    const s = new LiveState({ ringLinesPerPort: 1000, recentEvents: 5, bootsPerPort: 2, maxPendingLines: 10 });
    for (let i = 0; i < 50; i++) s.apply({ type: 'line', line: line('c', i) });
    const d = s.take();
    expect(d.lines).toHaveLength(10);
    expect(d.overflowed).toBe(true);
    expect(s.ring('c').size).toBe(50);
  });
});
