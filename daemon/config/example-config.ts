import { z } from 'zod';
import { configSchema } from './schema.ts';

type Json = { [k: string]: unknown };

/** Example values for keys that have no default (so the example reads like a real bench). */
const EXAMPLES: Record<string, unknown> = {
  'ports[].name': 'console',
  'ports[].source': '/dev/serial/by-id/usb-NXP_LPC-LINK2_CMSIS-DAP_V5.460_XXXXXXXX-if01',
  'ports[].usb.vendor_id': '1fc9',
  'ports[].usb.product_id': '0090',
  'ports[].usb.serial_number': 'JSAQCQIQ',
  'rules[].name': 'app-ready',
  'rules[].pattern': 'Application ready in (?<ms>\\d+) ms',
  'rules[].kind': 'app.ready',
  'alerts[].name': 'bench-pager',
  'alerts[].kinds': ['fault', 'hv.error', 'clock.drift'],
  'alerts[].actions[].url': 'http://127.0.0.1:9000/uartscope-hook',
  'alerts[].actions[].argv': ['notify-send', 'uartscope alert'],
  'board.timer_hz': 12000000,
  'board.configured_hz': 96000000,
  'board.vms': 2,
};

const scalar = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? '' : JSON.stringify(v));

function describe(s: Json): string {
  const d = typeof s.description === 'string' ? s.description : '';
  const range = [s.minimum !== undefined ? `min ${s.minimum}` : '', s.maximum !== undefined && (s.maximum as number) < Number.MAX_SAFE_INTEGER ? `max ${s.maximum}` : ''].filter(Boolean).join(', ');
  const en = Array.isArray(s.enum) ? `one of: ${s.enum.join(', ')}` : '';
  return [d, en, range].filter(Boolean).join('; ');
}

function unwrap(s: Json): Json {
  // zod emits optional/default wrappers as anyOf/allOf in a few places; take the object branch.
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[key];
    if (Array.isArray(list)) {
      const obj = (list as Json[]).find((x) => x.type === 'object' || x.type === 'array') ?? (list as Json[])[0];
      if (obj) return { ...obj, ...(s.description ? { description: s.description } : {}), ...(s.default !== undefined ? { default: s.default } : {}) };
    }
  }
  return s;
}

function emitObject(s: Json, indent: string, path: string, out: string[], commentOut = false): void {
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  for (const [key, raw] of Object.entries(props)) {
    const p = unwrap(raw);
    const here = path ? `${path}.${key}` : key;
    const doc = describe(p);
    const lead = commentOut ? '# ' : '';
    if (doc) out.push(`${indent}${lead}# ${doc}`);
    if (p.type === 'object' && p.properties) {
      const inner: string[] = [];
      emitObject(p, `${indent}  `, here, inner, commentOut);
      // A section whose keys are all optional is written `{}` so the YAML stays an object.
      const allCommented = inner.every((l) => l.trimStart().startsWith('#'));
      out.push(`${indent}${lead}${key}:${allCommented && !commentOut ? ' {}' : ''}`, ...inner);
    } else if (p.type === 'array' && Array.isArray((p.items as Json | undefined)?.anyOf ?? (p.items as Json | undefined)?.oneOf)) {
      // A list of alternatives (alert actions): the first written out, the others as commented examples.
      const variants = ((p.items as Json).anyOf ?? (p.items as Json).oneOf) as Json[];
      out.push(`${indent}${lead}${key}:`);
      variants.forEach((v, i) => {
        const inner: string[] = [];
        emitObject(unwrap(v), `${indent}    `, `${here}[]`, inner, commentOut || i > 0);
        out.push(`${indent}${lead}${i > 0 ? '# ' : ''}  -${typeof v.description === 'string' ? `    # ${v.description}` : ''}`, ...inner);
      });
    } else if (p.type === 'array' && (p.items as Json | undefined)?.type !== 'object') {
      const value = p.default !== undefined ? p.default : EXAMPLES[here] ?? [];
      out.push(`${indent}${lead}${key}: ${JSON.stringify(value)}`);
    } else if (p.type === 'array' && (p.items as Json | undefined)?.type === 'object') {
      out.push(`${indent}${lead}${key}:`);
      out.push(`${indent}${lead}  -`);
      emitObject(p.items as Json, `${indent}    `, `${here}[]`, out, commentOut);
    } else {
      const value = p.const !== undefined ? p.const : p.default !== undefined ? p.default : EXAMPLES[here];
      const optional = p.default === undefined && p.const === undefined && !required.has(key);
      const shown = value === undefined ? `<${String(p.type ?? 'value')}>` : scalar(value);
      out.push(`${indent}${commentOut || optional ? '# ' : ''}${key}: ${shown}${p.default !== undefined ? '' : optional ? '    # optional' : ''}`);
    }
  }
}

/** `deploy/uartscope.example.yaml`, generated from the schema so the example can never disagree with it. */
export function exampleConfigYaml(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const out = [
    '# uartscope configuration: every option, with its default and unit.',
    '# Generated from daemon/config/schema.ts by `npm run example-config`; check with `uartscope validate FILE`.',
    '# Unknown keys are errors. Values shown are the defaults; lines starting with "# key:" are optional keys.',
    '',
  ];
  emitObject(schema, '', '', out);
  return `${out.join('\n')}\n`;
}

if (process.argv[1]?.endsWith('example-config.ts')) process.stdout.write(exampleConfigYaml());
