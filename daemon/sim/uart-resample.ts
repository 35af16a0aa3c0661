/**
 * What a UART receiver at `toBaud` makes of 8N1 bytes sent at `fromBaud`: the ESP8266 boot ROM
 * talks at 74880 baud (26 MHz crystal, reference/formats.md §5.4) while the host listens at
 * 115200, so readable ROM text arrives as mostly non-ASCII bytes.
 *
 * The sender's line is modelled bit by bit (idle high, start bit 0, 8 data bits LSB first, stop
 * bit 1, frames back to back); the receiver waits for a falling edge, samples the middle of each
 * of its own bit periods and hands on the byte even on a framing error, as Linux's n_tty does in
 * raw mode without INPCK.
 */
export function resampleUart(bytes: Uint8Array, fromBaud: number, toBaud: number): Uint8Array {
  const sendBit = 1 / fromBaud;
  const recvBit = 1 / toBaud;
  const frames = bytes.length;
  const endTime = frames * 10 * sendBit;

  const level = (t: number): number => {
    if (t < 0 || t >= endTime) return 1;
    const bitIndex = Math.floor(t / sendBit);
    const frame = Math.floor(bitIndex / 10);
    const bit = bitIndex % 10;
    if (bit === 0) return 0;
    if (bit === 9) return 1;
    return ((bytes[frame] ?? 0xff) >> (bit - 1)) & 1;
  };

  // Falling edges happen only at sender bit boundaries, so scan those.
  const out: number[] = [];
  let readyAt = 0; // the receiver looks for a start bit from this time on
  const edges = frames * 10;
  for (let i = 0; i < edges; i++) {
    const t = i * sendBit;
    if (t < readyAt) continue;
    if (!(level(t - sendBit / 2) === 1 && level(t + sendBit / 2) === 0)) continue;
    if (level(t + recvBit / 2) !== 0) continue; // a glitch, not a start bit
    let value = 0;
    for (let b = 0; b < 8; b++) value |= level(t + (b + 1.5) * recvBit) << b;
    out.push(value);
    readyAt = t + 9.5 * recvBit; // the stop-bit sample; the next start is looked for after it
  }
  return Uint8Array.from(out);
}
