import type { BusEvent } from '../core/bus-event.ts';
import type { ParsedRecord } from '../core/parsed-record.ts';
import type { AnalyzerContext } from './record-analyzer.ts';
import type { Mutable } from '../core/mutable.ts';

export type EventDraft = Omit<BusEvent, 'id'>;

/** The fields every event of one record shares: port, boot, times and the seq range of its lines. */
export function eventFromRecord(
  record: ParsedRecord,
  ctx: AnalyzerContext,
  rest: Pick<EventDraft, 'kind' | 'severity' | 'title' | 'attrs'> & Partial<Pick<EventDraft, 'hint' | 'state'>>,
): EventDraft {
  const draft: Mutable<EventDraft> = {
    kind: rest.kind,
    severity: rest.severity,
    port: ctx.port,
    boot: ctx.currentBoot()?.id ?? null,
    hostTime: record.line.hostTime,
    title: rest.title,
    attrs: rest.attrs,
    lines: { port: ctx.port, first: record.line.seq, last: record.lastSeq },
  };
  if (record.deviceTime !== undefined) draft.deviceTime = record.deviceTime.us;
  if (rest.hint !== undefined) draft.hint = rest.hint;
  if (rest.state !== undefined) draft.state = rest.state;
  return draft;
}

/** A field as a string, or undefined when absent or not a string/number. */
export function fieldString(record: ParsedRecord, name: string): string | undefined {
  const v = record.fields[name];
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** A field as a number (accepting numeric strings), or undefined. */
export function fieldNumber(record: ParsedRecord, name: string): number | undefined {
  const v = record.fields[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}
