import type { SimTimeline } from './sim-timeline.ts';
import type { SimWrite } from './sim-write.ts';

/**
 * The CROSSCON Hypervisor banner of the Armv8-M/LPC55S69 port: the ASCII-art logo `init()`
 * prints line by line through console_printk, the last art line ending with the build time
 * (`__TIME__`), then an empty line; no version string (reference/formats.md §6.3,
 * `src/core/init.c` @0416778c; the same lines as test/golden/parsers/formats-6-crosscon-logo.log).
 * Trailing spaces are as in the source.
 */
export const CROSSCON_BANNER_LINES: readonly string[] = [
  '   _____ _____   ____   _____ _____  _____ ____  _   _ ',
  '  / ____|  __ \\ / __ \\ / ____/ ____|/ ____/ __ \\| \\ | |',
  ' | |    | |__) | |  | | (___| (___ | |   | |  | |  \\| |',
  ' | |    |  _  /| |  | |\\___ \\\\___ \\| |   | |  | | . ` |',
  ' | |____| | \\ \\| |__| |____) |___) | |___| |__| | |\\  |',
  '  \\_____|_|  \\_\\\\____/|_____/_____/ \\_____\\____/|_| \\_|',
  '  _    _                             _',
  ' | |  | |                           (_)                ',
  ' | |__| |_   _ _ __   ___ _ ____   ___ ___  ___  _ __  ',
  ' |  __  | | | | \'_ \\ / _ \\ \'__\\ \\ / / / __|/ _ \\| \'__| ',
  ' | |  | | |_| | |_) |  __/ |   \\ V /| \\__ \\ (_) | |    ',
  ' |_|  |_|\\__, | .__/ \\___|_|    \\_/ |_|___/\\___/|_|    ',
  '          __/ | |                                      ',
  '         |___/|_| 14:02:11',
  '',
];

/**
 * INFO lines while the hypervisor sets up the UC1 VMs. The LPC55 port prints them with the Bao
 * prefix and callers end the format with `\n`, which console_write turns into CR LF (§6.1, §6.3).
 * The texts are illustrative; the interrupt ids follow the UC1 VM config (USART2 = 16+16,
 * USART3 = 16+17, §6.3) and the 10 ms slice `sched.c` hard-codes.
 */
export const HV_INFO_LINES: readonly string[] = [
  'BAO INFO: Initializing VM 0 (zephyr wifi_app), 1 vCPU',
  'BAO INFO: VM 0: USART2 0x40088000 irq 32, USART3 0x40089000 irq 33',
  'BAO INFO: Initializing VM 1 (baremetal), 1 vCPU',
  'BAO INFO: VM 1: IPC irq 78',
  'BAO INFO: Scheduling 2 vCPUs round-robin, 10 ms slice',
];

/** The hypervisor comes out of reset on Flexcomm0: banner, then its INFO lines. */
export function* hypervisorBoot(t: SimTimeline, infoLines: readonly string[] = HV_INFO_LINES): Generator<SimWrite> {
  yield t.send('hv', CROSSCON_BANNER_LINES.map((l) => `${l}\r\n`).join(''));
  t.wait(2);
  for (const line of infoLines) {
    yield t.line('hv', line);
    t.wait(1);
  }
}
