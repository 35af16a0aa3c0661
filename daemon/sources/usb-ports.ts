import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { UsbMatch } from '../config/sections/ports.ts';

export interface UsbPortInfo {
  readonly path: string;
  readonly byId?: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  /** What the USB ids say it probably is (reference/formats.md §7.3). */
  readonly guess?: string;
}

/** USB VID:PID → what it is, from reference/formats.md §7.3 (pyOCD udev rules, Linux usb-serial id tables). */
const KNOWN: ReadonlyArray<readonly [string, string | null, string]> = [
  ['1fc9', '0090', 'NXP LPC-Link2 CMSIS-DAP VCOM (LPCXpresso55S69 Flexcomm0 console)'],
  ['1fc9', '000c', 'NXP LPC-Link2 in DFU mode (no VCOM until probe firmware loads)'],
  ['1fc9', '0143', 'NXP MCU-Link'],
  ['1366', '1024', 'SEGGER J-Link OB VCOM (J-Link firmware on the LPC-Link2)'],
  ['1366', null, 'SEGGER J-Link'],
  ['0403', '6001', 'FTDI FT232R USB-UART'],
  ['0403', '6010', 'FTDI FT2232 USB-UART'],
  ['0403', '6011', 'FTDI FT4232 USB-UART'],
  ['0403', '6014', 'FTDI FT232H USB-UART'],
  ['0403', '6015', 'FTDI FT-X (FT230X…) USB-UART'],
  ['0403', null, 'FTDI USB-UART'],
  ['10c4', 'ea60', 'Silicon Labs CP210x USB-UART'],
  ['10c4', null, 'Silicon Labs CP210x USB-UART'],
  ['1a86', '7523', 'WCH CH340/CH341 USB-UART'],
  ['1a86', null, 'WCH CH34x USB-UART'],
  ['4348', '5523', 'WCH CH341 USB-UART'],
];

export function guessUsbDevice(vendorId?: string, productId?: string): string | undefined {
  if (!vendorId) return undefined;
  const v = vendorId.toLowerCase();
  const p = productId?.toLowerCase();
  return KNOWN.find(([kv, kp]) => kv === v && (kp === null || kp === p))?.[2];
}

/** Serial ports with USB identity, the stable /dev/serial/by-id link and a guess. */
export async function listUsbPorts(): Promise<UsbPortInfo[]> {
  const ports = await SerialPort.list();
  const byId = new Map<string, string>();
  try {
    const dir = '/dev/serial/by-id';
    for (const name of await readdir(dir)) {
      try {
        byId.set(await realpath(join(dir, name)), join(dir, name));
      } catch { /* dangling link */ }
    }
  } catch { /* no by-id folder: no USB serial devices */ }
  return ports.map((p) => {
    const info: UsbPortInfo = {
      path: p.path,
      ...(byId.has(p.path) ? { byId: byId.get(p.path)! } : {}),
      ...(p.vendorId ? { vendorId: p.vendorId.toLowerCase() } : {}),
      ...(p.productId ? { productId: p.productId.toLowerCase() } : {}),
      ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
      ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
    };
    const guess = guessUsbDevice(info.vendorId, info.productId);
    return guess ? { ...info, guess } : info;
  });
}

export function matchesUsb(p: UsbPortInfo, m: UsbMatch): boolean {
  if (p.vendorId !== m.vendor_id.toLowerCase()) return false;
  if (m.product_id && p.productId !== m.product_id.toLowerCase()) return false;
  if (m.serial_number && p.serialNumber !== m.serial_number) return false;
  return true;
}

export async function findUsbPort(m: UsbMatch): Promise<string | undefined> {
  return (await listUsbPorts()).find((p) => matchesUsb(p, m))?.path;
}
