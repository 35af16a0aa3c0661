#!/usr/bin/env node
// The `uartscope` command. The sources are TypeScript, run through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../daemon/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
