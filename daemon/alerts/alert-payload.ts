import type { BusEvent } from '../core/bus-event.ts';
import type { FieldValue } from '../core/parsed-record.ts';
import { redactSecrets } from '../../parsers/redact.ts';

/**
 * The event as it leaves the process (webhook body, command stdin): JSON of the
 * {@link BusEvent} shape. Parsers redact Wi-Fi passwords before any record exists, but an
 * alert is the one place an event crosses the network, so its strings are passed through
 * {@link redactSecrets} once more (DESIGN rule: no `AT+CWJAP` password leaves the process).
 */
export function alertPayload(event: BusEvent): string {
  const attrs: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(event.attrs)) attrs[k] = typeof v === 'string' ? redactSecrets(v) : v;
  const safe: BusEvent = {
    ...event,
    title: redactSecrets(event.title),
    attrs,
    ...(event.hint !== undefined ? { hint: redactSecrets(event.hint) } : {}),
  };
  return JSON.stringify(safe);
}
