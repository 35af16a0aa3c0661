#!/usr/bin/env node
// The `uartscope` command. The sources are TypeScript, run through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../daemon/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit once stdout has taken everything: a stopped daemon may still hold idle handles
// (the ingest thread, child processes that are already gone).
process.stdout.write('', () => process.exit(code));
