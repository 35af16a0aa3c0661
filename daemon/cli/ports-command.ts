import { listUsbPorts } from '../sources/usb-ports.ts';
import { parseCommandArgs } from './run-options.ts';

/** `uartscope ports`: what is plugged in, with its USB identity and a guess of what it is. */
export async function portsCommand(argv: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } });
  const ports = await listUsbPorts();
  if (values.json) {
    io.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
    return 0;
  }
  if (ports.length === 0) {
    io.stdout.write('no serial ports found\n');
    return 0;
  }
  const rows = ports.map((p) => [p.path, p.vendorId ? `${p.vendorId}:${p.productId ?? '????'}` : '-', p.serialNumber ?? '-', p.byId ?? '-', p.guess ?? p.manufacturer ?? '']);
  const head = ['PATH', 'VID:PID', 'SERIAL', 'BY-ID', 'GUESS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  io.stdout.write(`${[head, ...rows].map(fmt).join('\n')}\n`);
  const first = ports.find((p) => p.vendorId);
  if (first) io.stdout.write(`\nwatch one: uartscope run --port NAME=usb:${first.vendorId}:${first.productId}${first.serialNumber ? `:${first.serialNumber}` : ''},role=zephyr\n`);
  return 0;
}
