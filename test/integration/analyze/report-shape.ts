// The `uartscope.report/1` shape of DESIGN.md ("Interfaces users and scripts depend on"),
// checked field by field: what scripts and CI jobs rely on.
import { EVENT_KINDS } from '../../../daemon/core/bus-event.ts';

type Problems = string[];

function isInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v);
}

function check(problems: Problems, ok: boolean, what: string): void {
  if (!ok) problems.push(what);
}

export function reportProblems(report: unknown, knownKinds: readonly string[] = EVENT_KINDS): Problems {
  const p: Problems = [];
  const r = report as Record<string, any>;
  check(p, r?.['schema'] === 'uartscope.report/1', 'schema');
  check(p, Array.isArray(r?.['sources']), 'sources[]');
  for (const [i, s] of (r?.['sources'] ?? []).entries()) {
    for (const k of ['file', 'port', 'role', 'format']) check(p, typeof s[k] === 'string', `sources[${i}].${k}`);
    check(p, isInt(s.lines) && isInt(s.bytes), `sources[${i}].lines/bytes`);
    check(p, ['real', 'relative', 'none'].includes(s.hostTimes), `sources[${i}].hostTimes`);
  }
  check(p, isInt(r?.['lines']?.['total']), 'lines.total');
  for (const k of ['err', 'wrn', 'inf', 'dbg']) check(p, isInt(r?.['lines']?.['byLevel']?.[k]), `lines.byLevel.${k}`);
  for (const [i, b] of (r?.['boots'] ?? []).entries()) {
    check(p, typeof b.port === 'string', `boots[${i}].port`);
    check(p, isInt(b.index), `boots[${i}].index`);
    check(p, b.version === null || typeof b.version === 'string', `boots[${i}].version`);
    check(p, isInt(b.hostStart), `boots[${i}].hostStart`);
    check(p, ['running', 'reboot', 'fault', 'hv.error', 'disconnected', 'end'].includes(b.endReason), `boots[${i}].endReason`);
  }
  for (const [i, e] of (r?.['events'] ?? []).entries()) {
    check(p, typeof e.id === 'string', `events[${i}].id`);
    check(p, knownKinds.includes(e.kind) || /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(e.kind), `events[${i}].kind`);
    check(p, ['critical', 'error', 'warning', 'info'].includes(e.severity), `events[${i}].severity`);
    check(p, typeof e.port === 'string', `events[${i}].port`);
    check(p, e.boot === null || typeof e.boot === 'string', `events[${i}].boot`);
    check(p, isInt(e.hostTime), `events[${i}].hostTime`);
    check(p, e.deviceTime === undefined || typeof e.deviceTime === 'number', `events[${i}].deviceTime`);
    check(p, typeof e.title === 'string' && e.title.length > 0, `events[${i}].title`);
    check(p, typeof e.attrs === 'object' && e.attrs !== null && Object.values(e.attrs).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)), `events[${i}].attrs`);
    check(p, e.hint === undefined || typeof e.hint === 'string', `events[${i}].hint`);
    check(p, typeof e.lines?.port === 'string' && isInt(e.lines?.first) && isInt(e.lines?.last) && e.lines.first <= e.lines.last, `events[${i}].lines`);
  }
  for (const [i, d] of (r?.['drift'] ?? []).entries()) {
    for (const k of ['ratio', 'ppm', 'uncertaintyPpm', 'samples', 'spanS']) check(p, typeof d[k] === 'number', `drift[${i}].${k}`);
    for (const k of ['port', 'boot', 'source', 'verdict']) check(p, typeof d[k] === 'string', `drift[${i}].${k}`);
  }
  check(p, Array.isArray(r?.['drift']), 'drift[]');
  for (const [i, w] of (r?.['wifi'] ?? []).entries()) {
    check(p, typeof w.port === 'string', `wifi[${i}].port`);
    check(p, w.boot === null || typeof w.boot === 'string', `wifi[${i}].boot`);
    check(p, ['connected', 'failed', 'unknown'].includes(w.outcome), `wifi[${i}].outcome`);
    check(p, w.errno === null || isInt(w.errno), `wifi[${i}].errno`);
    check(p, w.errnoName === null || typeof w.errnoName === 'string', `wifi[${i}].errnoName`);
    check(p, w.ip === null || typeof w.ip === 'string', `wifi[${i}].ip`);
  }
  check(p, Array.isArray(r?.['wifi']), 'wifi[]');
  return p;
}
