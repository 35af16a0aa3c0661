import type { SimTimeline } from './sim-timeline.ts';
import type { SimWrite } from './sim-write.ts';

/**
 * The CROSSCON Hypervisor banner of the Armv8-M/LPC55S69 port: an ASCII-art logo printed through
 * console_printk, whose last art line ends with the build time (`__TIME__`) and no version
 * (reference/formats.md §6.3, `src/core/init.c` @0416778c). The art here is a figlet-style
 * rendering of the name; the reference records its shape (`… |___/|_| 14:02:11`), not every glyph.
 */
export const CROSSCON_BANNER_LINES: readonly string[] = [
  '  ____ ____   ___  ____ ____   ____ ___  _   _ ',
  ' / ___|  _ \\ / _ \\/ ___/ ___| / ___/ _ \\| \\ | |',
  '| |   | |_) | | | \\___ \\___ \\| |  | | | |  \\| |',
  '| |___|  _ <| |_| |___) |__) | |__| |_| | |\\  |',
  ' \\____|_| \\_\\\\___/|____/____/ \\____\\___/|_| \\_|',
  ' _   _                            _',
  '| | | |_   _ _ __   ___ _ ____   _(_)___  ___  _ __',
  "| |_| | | | | '_ \\ / _ \\ '__\\ \\ / / / __|/ _ \\| '__|",
  '|  _  | |_| | |_) |  __/ |   \\ V /| \\__ \\ (_) | |',
  '|_| |_|\\__, | .__/ \\___|_|    \\_/ |_|___/\\___/|_|',
  '       |___/|_| 14:02:11',
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
