import { defineScenario } from '../define-scenario.ts';
import { hypervisorBoot } from '../hypervisor-boot.ts';

/**
 * A VM config with more device regions than the SAU has entries (the 3mdeb bring-up hit exactly
 * this and merged regions to fix it): the hypervisor's ERROR has no newline and the hypervisor spins right
 * after it (reference/formats.md §6.1, §6.3: `failed to register sau entry`), so the VM never
 * starts and every port stays silent. The script ends: nothing more ever comes.
 */
export const hvErrorScenario = defineScenario({
  name: 'hv-error',
  summary: 'hypervisor halts on "BAO ERROR: failed to register sau entry" (no newline), then silence',
  deviceClockFactor: 1,
  *story(t) {
    yield* hypervisorBoot(t, ['BAO INFO: Initializing VM 0 (zephyr wifi_app), 1 vCPU']);
    t.drain().wait(3);
    yield t.send('hv', 'BAO ERROR: failed to register sau entry');
  },
});
