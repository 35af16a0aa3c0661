import { z } from 'zod';

/**
 * What the user knows of the board's clocks. With it, a drift hint names the exact value to
 * set (formats.md §8.1/§8.2, §6.3): R ≈ (timer_hz / configured_hz) × 1/vms on the older
 * CROSSCON vtimer.c, which freezes a guest's SysTick while other VMs run.
 */
export const boardSchema = z
  .strictObject({
    name: z.string().min(1).max(128).optional().describe('Free text shown in hints, e.g. "LPCXpresso55S69 + CROSSCON"'),
    timer_hz: z
      .number().int().positive().max(10_000_000_000).optional()
      .describe('Frequency the guest timer really counts at (Hz): the hypervisor\'s PLAT_TIMER_FREQ, 12000000 on the CROSSCON LPC55S69 port'),
    configured_hz: z
      .number().int().positive().max(10_000_000_000).optional()
      .describe('CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC the Zephyr image was built with (Hz), e.g. 96000000 (LPC55S69 defconfig)'),
    vms: z
      .number().int().min(1).max(64).optional()
      .describe('VMs sharing the guest\'s core round-robin under the hypervisor (count)'),
  })
  .prefault({})
  .describe('Board clocks, for exact drift explanations');

export type BoardConfig = z.infer<typeof boardSchema>;
