import { describe, expect, it } from 'vitest';
import { guessUsbDevice, matchesUsb } from '../../../daemon/sources/usb-ports.ts';

describe('USB port identity', () => {
  it('names the probes and adapters of reference/formats.md §7.3', () => {
    expect(guessUsbDevice('1fc9', '0090')).toMatch(/LPC-Link2 CMSIS-DAP VCOM/);
    expect(guessUsbDevice('1366', '1024')).toMatch(/J-Link/);
    expect(guessUsbDevice('0403', '6001')).toMatch(/FT232R/);
    expect(guessUsbDevice('10C4', 'EA60')).toMatch(/CP210x/);
    expect(guessUsbDevice('1a86', '7523')).toMatch(/CH340/);
    expect(guessUsbDevice('dead', 'beef')).toBeUndefined();
  });

  it('matches by vendor, product and serial number, case-insensitively for the ids', () => {
    const port = { path: '/dev/ttyACM3', vendorId: '1fc9', productId: '0090', serialNumber: 'JSAQCQIQ' };
    expect(matchesUsb(port, { vendor_id: '1FC9' })).toBe(true);
    expect(matchesUsb(port, { vendor_id: '1fc9', product_id: '0090', serial_number: 'JSAQCQIQ' })).toBe(true);
    expect(matchesUsb(port, { vendor_id: '1fc9', product_id: '0090', serial_number: 'OTHER' })).toBe(false);
    expect(matchesUsb(port, { vendor_id: '0403' })).toBe(false);
  });
});
