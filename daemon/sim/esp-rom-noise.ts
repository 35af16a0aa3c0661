import { resampleUart } from './uart-resample.ts';

/**
 * What the ESP8266 boot ROM prints after a reset, at 74880 baud (26 MHz crystal). This text is
 * the commonly reported one; reference/formats.md §5.4 marks it unverified from a primary source.
 */
export const ESP_ROM_TEXT =
  '\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n' +
  'load 0x40100000, len 2408, room 16 \r\ntail 8\r\nchksum 0xe5\r\n' +
  'load 0x3ffe8000, len 776, room 0 \r\ntail 8\r\nchksum 0x84\r\n' +
  'load 0x3ffe8310, len 632, room 0 \r\ntail 8\r\nchksum 0xd8\r\ncsum 0xd8\r\n\r\n' +
  '2nd boot version : 1.6\r\n  SPI Speed      : 40MHz\r\n  SPI Mode       : DIO\r\n' +
  '  SPI Flash Size & Map: 8Mbit(512KB+512KB)\r\njump to run user1 @ 1000\r\n\r\n';

export const ESP_ROM_BAUD = 74880;

/** The ROM text as a host UART at `hostBaud` receives it. */
export function espRomNoise(hostBaud = 115200): Uint8Array {
  return resampleUart(new TextEncoder().encode(ESP_ROM_TEXT), ESP_ROM_BAUD, hostBaud);
}
