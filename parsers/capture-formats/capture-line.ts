/** Capture files uartscope reads (reference/peer-captures.md): its own and other tools'. */
export const CAPTURE_FORMATS = ['uartscope', 'tio', 'grabserial', 'minicom', 'conserver', 'lava', 'plain'] as const;
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];

/** One physical line of a capture file, with the tool's prefix taken off. */
export interface CaptureLine {
  /** µs since the epoch; for relative forms, µs since capture start (or since midnight of an unnamed day). */
  readonly hostTime?: number;
  /** True when hostTime is not anchored to a date (elapsed, delta or time-of-day stamps). */
  readonly hostTimeRelative?: boolean;
  /** The device's text after the tool's prefix, CR removed. */
  readonly text: string;
  /** grabserial `--label`, LAVA namespace. */
  readonly port?: string;
  /** Tool status lines: conserver `Console up`, minicom's per-second marker, grabserial's summary, LAVA non-target lines. */
  readonly marker?: string;
  /** uartscope captures only: the line's seq and raw bytes (terminator included). */
  readonly seq?: number;
  readonly bytes?: Uint8Array;
}
