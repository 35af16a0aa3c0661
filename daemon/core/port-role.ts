/** What talks on a port; picks the parsers and analyzers that apply. */
export const PORT_ROLES = ['zephyr', 'esp-at', 'hypervisor', 'text'] as const;
export type PortRole = (typeof PORT_ROLES)[number];
