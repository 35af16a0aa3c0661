import { z } from 'zod';

import { PORT_ROLES } from '../../core/port-role.ts';

export const usbMatchSchema = z
  .strictObject({
    vendor_id: z.string().regex(/^[0-9a-fA-F]{4}$/, 'a 4-digit hex USB vendor id, e.g. "1fc9"').describe('USB vendor id (hex), e.g. 1fc9 for NXP LPC-Link2'),
    product_id: z.string().regex(/^[0-9a-fA-F]{4}$/, 'a 4-digit hex USB product id, e.g. "0090"').optional().describe('USB product id (hex), e.g. 0090 for the LPC-Link2 CMSIS-DAP VCOM'),
    serial_number: z.string().min(1).optional().describe('USB serial number string, to tell two identical probes apart'),
  })
  .describe('Match the port by USB identity instead of path, so a board keeps its name when the kernel renumbers it after a replug');

export const framingSchema = z.strictObject({
  max_line_bytes: z.number().int().min(16).max(1 << 20).default(4096).describe('Longest line kept whole (bytes); longer lines are cut, marked and counted'),
  idle_flush_ms: z.number().int().min(1).max(60_000).default(250).describe('A partial line (no terminator yet) is flushed and marked partial after this much silence (ms); hypervisor ERROR messages end without a newline'),
});

export const portSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only (it names a folder)').describe('Port label, shown on every line and used as the capture folder name'),
    source: z.string().min(1).optional().describe('Device path, tcp://HOST:PORT, replay:FILE[?speed=1|max] or sim:SCENARIO[/UART]; omit when `usb` is given'),
    usb: usbMatchSchema.optional(),
    baud: z.number().int().min(50).max(20_000_000).default(115200).describe('Baud rate (bits/s); also used to back-date lines inside a read chunk (10 bits per byte)'),
    role: z.enum(PORT_ROLES).default('text').describe('What talks on this port: zephyr (console), esp-at (module UART), hypervisor (Bao/CROSSCON console) or text'),
    framing: framingSchema.partial().optional().describe('Per-port override of the top-level framing'),
  })
  .refine((p) => p.source !== undefined || p.usb !== undefined, { message: 'a port needs `source` or `usb`', path: ['source'] });

export type PortConfig = z.infer<typeof portSchema>;
export type FramingConfig = z.infer<typeof framingSchema>;
export type UsbMatch = z.infer<typeof usbMatchSchema>;
