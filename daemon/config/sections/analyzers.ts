import { z } from 'zod';

/** Tunables of the per-port analyzers (daemon/analyzers). Every limit has a unit and a default. */
export const analyzersSchema = z
  .strictObject({
    reboot_backwards_tolerance_ms: z
      .number()
      .min(0)
      .max(3_600_000)
      .default(50)
      .describe('Device time (of one time source) going back by more than this (ms) is a reboot; smaller steps are ignored as reordering'),
    garbled_window_lines: z.number().int().min(1).max(10_000).default(16).describe('Number of most recent lines over which the non-text byte rate is measured'),
    garbled_min_bytes: z.number().int().min(1).max(1 << 20).default(16).describe('Non-text bytes needed in the window before `port.garbled` can be raised'),
    garbled_raise_ratio: z.number().min(0).max(1).default(0.2).describe('Non-text bytes / all bytes in the window at or above which `port.garbled` is raised'),
    garbled_clear_ratio: z.number().min(0).max(1).default(0.02).describe('Ratio at or below which a raised `port.garbled` is cleared'),
    esp_boot_noise_lines: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(4)
      .describe('Garbled bytes followed by an ESP `ready` within this many lines are expected ESP boot-ROM noise (74880 baud, formats §5.4), not a wrong baud rate'),
    stall_silence_ms: z.number().int().min(100).max(86_400_000).default(30_000).describe('A booted port silent longer than this (ms) before its last expected milestone raises `stall`'),
    stall_expected_milestones: z
      .array(z.string().min(1))
      .optional()
      .describe('Milestones a boot must reach, in order; default: `banner`, then `esp.ready`, `wifi.connected`, `dhcp.bound` once the boot shows Wi-Fi activity, then rule milestones'),
    shared_uart_min_lines: z.number().int().min(1).max(10_000).default(2).describe('ESP-AT lines on a console port within one boot before `uart.shared` is raised'),
    clock_disagreement_ratio: z
      .number()
      .min(0)
      .max(10)
      .default(0.1)
      .describe('Host and device durations of the ESP reset sequence differing by more than this fraction are named in the event title'),
  })
  .prefault({})
  .describe('Analyzer tunables: reboot detection, garbled-line rate, stall limit, shared-UART threshold');

export type AnalyzersConfig = z.infer<typeof analyzersSchema>;
