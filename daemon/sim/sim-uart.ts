import type { PortRole } from '../core/port-role.ts';

/**
 * The three UARTs of the simulated LPCXpresso55S69 running Zephyr inside CROSSCON/Bao
 * (reference/formats.md §6.4 and §7): the hypervisor console on Flexcomm0 (the LPC-Link2 VCOM),
 * the Zephyr console moved to Flexcomm3 by the 3mdeb branch, and a tap on the ESP-AT module's
 * UART on Flexcomm2 (mikroBUS).
 */
export const UART_NAMES = ['hv', 'console', 'esp'] as const;
export type UartName = (typeof UART_NAMES)[number];

export interface SimUart {
  readonly name: UartName;
  readonly flexcomm: number;
  /** The role a monitor should give the port (picks parsers and analyzers). */
  readonly role: PortRole;
  readonly baud: number;
}

export const SIM_UARTS: Readonly<Record<UartName, SimUart>> = {
  hv: { name: 'hv', flexcomm: 0, role: 'hypervisor', baud: 115200 },
  console: { name: 'console', flexcomm: 3, role: 'zephyr', baud: 115200 },
  esp: { name: 'esp', flexcomm: 2, role: 'esp-at', baud: 115200 },
};

export function isUartName(value: string): value is UartName {
  return (UART_NAMES as readonly string[]).includes(value);
}
