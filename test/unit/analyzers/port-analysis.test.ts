import { describe, expect, it } from 'vitest';
import type { Boot } from '../../../daemon/core/boot.ts';
import type { RecordAnalyzer } from '../../../daemon/analyzers/record-analyzer.ts';
import { createPortAnalysis } from '../../../daemon/analyzers/port-analysis.ts';
import { configSchema } from '../../../daemon/config/schema.ts';
import type { BusMessage } from '../../../daemon/pipeline/bus-message.ts';
import { Harness, T0, feedSeedResetFailure } from './analyzer-harness.ts';

describe('port analysis', () => {
  it('calls extra analyzers after the built-in ones, including onBootStart, and passes drift fits through', () => {
    const seen: string[] = [];
    const boots: Boot[] = [];
    const drift: RecordAnalyzer = {
      name: 'drift',
      onBootStart: (boot) => boots.push(boot),
      onRecord: (record, ctx) => {
        seen.push(`${record.kind}@${ctx.currentBoot()?.id}`);
        if (record.kind === 'uptime') ctx.emitDrift({ port: ctx.port, boot: ctx.currentBoot()?.id ?? '', source: 'uptime', ratio: 0.125, ppm: -875000, uncertaintyPpm: 10, samples: 5, spanS: 40, verdict: 'drift' });
      },
    };
    const h = new Harness('zephyr', {}, 'console', [drift]);
    h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } });
    h.feed({ kind: 'uptime', message: 'Uptime: 1 ms', deviceMs: 1, source: 'uptime' });
    expect(boots.map((b) => b.id)).toEqual(['console#0']);
    expect(seen).toEqual(['zephyr.banner@console#0', 'uptime@console#0']);
    const fits = h.messages.filter((m) => m.type === 'drift');
    expect(fits).toHaveLength(1);
  });

  it('catches and counts a throwing analyzer without stopping the others', () => {
    const bad: RecordAnalyzer = {
      name: 'bad',
      onRecord: () => {
        throw new Error('boom');
      },
    };
    const h = new Harness('zephyr', {}, 'console', [bad]);
    feedSeedResetFailure(h);
    expect(h.events('esp.reset_failed')).toHaveLength(1);
    expect(h.analysis.stats().errorsBy).toEqual({ bad: 12 });
    expect(h.analysis.stats().errors).toBe(12);
  });

  it('publishes the boot on open, on each milestone and on end, as snapshots', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.log', message: 'driver', deviceMs: 0 });
    h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } });
    h.end();
    const published = h.messages.flatMap((m) => (m.type === 'boot' ? [m.boot] : []));
    expect(published.map((b) => [b.milestones.length, b.endReason])).toEqual([
      [0, 'running'],
      [1, 'running'],
      [1, 'end'],
    ]);
    expect(published[0]?.milestones).toHaveLength(0); // not mutated after publishing
  });

  it('numbers boots from startBootIndex and uses the given event ids', () => {
    const messages: BusMessage[] = [];
    let n = 100;
    const pa = createPortAnalysis({ port: 'p', role: 'zephyr', config: configSchema.parse({}), publish: (m) => messages.push(m), startBootIndex: 7, nextEventId: () => `id${n++}` });
    const line = { port: 'p', seq: 0, hostTime: T0, bytes: new Uint8Array(), terminator: 'lf' as const, text: 'x', nonTextBytes: 0, flags: { partial: false, truncated: false } };
    pa.onLine(line);
    pa.onRecord({ line, lastSeq: 0, dialect: 'zephyr', kind: 'zephyr.banner', message: 'b', fields: { os: 'zephyr', version: 'v9' } });
    expect(pa.currentBoot()?.index).toBe(7);
    expect(pa.currentBoot()?.id).toBe('p#7');
    const ev = messages.find((m) => m.type === 'event');
    expect(ev?.type === 'event' && ev.event.id).toBe('id100');
  });

  it('attributes an event whose record came late (held by the parser past the next banner) to the boot of its lines', () => {
    const h = new Harness();
    h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } });
    const held = h.line('--- 3 messages dropped ---');
    h.analysis.onLine(held);
    h.feed({ kind: 'zephyr.banner', message: '*** Booting Zephyr OS build v1 ***', fields: { os: 'zephyr', version: 'v1' } });
    h.analysis.onRecord({ line: held, lastSeq: held.seq, dialect: 'zephyr', kind: 'zephyr.dropped', message: held.text, fields: { count: 3 } });
    expect(h.events('log.dropped')[0]?.boot).toBe('console#0');
    expect(h.events('reboot')[0]?.boot).toBe('console#1');
  });
});
