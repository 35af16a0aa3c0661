import { PORT_ROLES, type PortRole } from '../core/port-role.ts';
import type { PortConfig } from './sections/ports.ts';

export class PortSpecError extends Error {
  readonly code = 'ERR_PORT_SPEC';
}

/**
 * `--port NAME=SOURCE[,baud=N][,role=zephyr|esp-at|hypervisor|text]`, and the short form
 * of DESIGN.md `NAME=PATH@BAUD:ROLE`. SOURCE is a device path, `tcp://HOST:PORT`,
 * `replay:FILE[?speed=1|max]`, `sim:SCENARIO[/UART][?speed=N]`, or `usb:VID[:PID[:SERIAL]]`.
 */
export function parsePortSpec(spec: string): PortConfig {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new PortSpecError(`--port "${spec}": expected NAME=SOURCE[,baud=N][,role=R]`);
  const name = spec.slice(0, eq);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new PortSpecError(`--port "${spec}": the name "${name}" may only use letters, digits, "_", "." and "-"`);
  const parts = spec.slice(eq + 1).split(',');
  let source = parts[0] ?? '';
  let baud: number | undefined;
  let role: PortRole | undefined;
  // Short form PATH@BAUD:ROLE (not for URLs, whose ':' belongs to them).
  const short = /^([^@]+)@(\d+)(?::([a-z-]+))?$/.exec(source);
  if (short && !source.includes('://')) {
    source = short[1]!;
    baud = Number(short[2]);
    if (short[3]) role = checkRole(spec, short[3]);
  }
  if (!source) throw new PortSpecError(`--port "${spec}": SOURCE is empty`);
  for (const opt of parts.slice(1)) {
    const [k, v] = opt.split('=', 2);
    if (k === 'baud') {
      if (!v || !/^\d+$/.test(v) || Number(v) < 50) throw new PortSpecError(`--port "${spec}": baud must be a whole number of bits/s, got "${v ?? ''}"`);
      baud = Number(v);
    } else if (k === 'role') role = checkRole(spec, v ?? '');
    else throw new PortSpecError(`--port "${spec}": unknown option "${k}" (known: baud, role)`);
  }
  const usb = /^usb:([0-9a-fA-F]{4})(?::([0-9a-fA-F]{4}))?(?::(.+))?$/.exec(source);
  const config: PortConfig = usb
    ? { name, usb: { vendor_id: usb[1]!, ...(usb[2] ? { product_id: usb[2] } : {}), ...(usb[3] ? { serial_number: usb[3] } : {}) }, baud: baud ?? 115200, role: role ?? 'text' }
    : { name, source, baud: baud ?? 115200, role: role ?? 'text' };
  return config;
}

function checkRole(spec: string, role: string): PortRole {
  if ((PORT_ROLES as readonly string[]).includes(role)) return role as PortRole;
  throw new PortSpecError(`--port "${spec}": role must be one of ${PORT_ROLES.join(', ')}, got "${role}"`);
}

export type ParsedSource =
  | { readonly kind: 'serial'; readonly path: string }
  | { readonly kind: 'usb' }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'replay'; readonly file: string; readonly speed: number | 'max' }
  | { readonly kind: 'sim'; readonly scenario: string; readonly uart: string; readonly speed: number };

export function parseSource(port: PortConfig): ParsedSource {
  const s = port.source;
  if (s === undefined) return { kind: 'usb' };
  if (s.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(s);
    if (!m || Number(m[2]) > 65535) throw new PortSpecError(`port ${port.name}: source "${s}" must be tcp://HOST:PORT`);
    return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  }
  if (s.startsWith('replay:')) {
    const rest = s.slice('replay:'.length);
    const q = rest.lastIndexOf('?speed=');
    const file = q >= 0 ? rest.slice(0, q) : rest;
    const speedText = q >= 0 ? rest.slice(q + '?speed='.length) : '1';
    const speed = speedText === 'max' ? 'max' : Number(speedText);
    if (!file) throw new PortSpecError(`port ${port.name}: source "${s}" names no file`);
    if (speed !== 'max' && !(speed > 0)) throw new PortSpecError(`port ${port.name}: replay speed must be a positive number or "max", got "${speedText}"`);
    return { kind: 'replay', file, speed };
  }
  if (s.startsWith('sim:')) {
    const q = s.indexOf('?speed=');
    const spec = q >= 0 ? s.slice(4, q) : s.slice(4);
    const speed = q >= 0 ? Number(s.slice(q + '?speed='.length)) : 1;
    if (!(speed > 0)) throw new PortSpecError(`port ${port.name}: sim speed must be a positive number, got "${s.slice(q + 7)}"`);
    const [scenario, uart] = spec.split('/', 2);
    return { kind: 'sim', scenario: scenario || 'cycle', uart: uart || 'console', speed };
  }
  return { kind: 'serial', path: s };
}
