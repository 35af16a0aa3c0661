import { defineScenario } from '../define-scenario.ts';
import { hypervisorBoot } from '../hypervisor-boot.ts';
import { uptimeTail } from '../uptime-tail.ts';
import { wifiAppBoot } from '../wifi-app-boot.ts';
import type { SimTimeline } from '../sim-timeline.ts';
import type { SimWrite } from '../sim-write.ts';

/**
 * A Cortex-M fault dump with CONFIG_FAULT_DUMP=2, every line `LOG_ERR` from module `os`
 * (reference/formats.md §2.2): a hard fault escalated from a precise bus fault, the register
 * dump, `>>> ZEPHYR FATAL ERROR 25` (BusFault, precise data bus error), the current thread,
 * and `Halting system` after LOG_PANIC flushed.
 */
function* busFaultDump(t: SimTimeline): Generator<SimWrite> {
  const os = (m: string): SimWrite => t.log('err', 'os', m);
  yield os('***** HARD FAULT *****');
  yield os('  Fault escalation (see below)');
  yield os('***** BUS FAULT *****');
  yield os('  Precise data bus error');
  yield os('  BFAR Address: 0x50000000');
  t.waitDevice(1);
  yield os('r0/a1:  0x00000000  r1/a2:  0x00000001  r2/a3:  0x20001234');
  yield os('r3/a4:  0x00000000 r12/ip:  0x00000000 r14/lr:  0x10001a2b');
  yield os(' xpsr:  0x61000000');
  yield os('Faulting instruction address (r15/pc): 0x10001a30');
  yield os('>>> ZEPHYR FATAL ERROR 25: Unknown error on CPU 0');
  yield os('Current thread: 0x20000a10 (main)');
  t.waitDevice(279);
  yield os('Halting system');
}

/**
 * A normal boot, a few seconds of Uptime lines, the fault, silence while the halted CPU waits for
 * the watchdog, then the whole board resets: hypervisor banner again, device time from 0 again.
 */
export const faultScenario = defineScenario({
  name: 'fault',
  summary: 'normal boot, bus fault escalated to a hard fault, watchdog reset, reboot',
  deviceClockFactor: 1,
  *story(t) {
    yield* hypervisorBoot(t);
    t.drain().wait(30);
    yield* wifiAppBoot(t);
    const uptime = uptimeTail(t);
    for (let i = 0; i < 3; i++) {
      const next = uptime.next();
      if (!next.done) yield next.value;
    }
    t.waitDevice(120);
    yield* busFaultDump(t);
    t.drain().wait(6000);
    yield* hypervisorBoot(t);
    t.drain().wait(30);
    yield* wifiAppBoot(t);
  },
  *tail(t) {
    yield* uptimeTail(t);
  },
});
