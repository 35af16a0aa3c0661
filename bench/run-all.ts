import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `npm run bench [NAME...]`: runs bench/*.bench.ts (or the named ones) one after another; each prints its figures. */
const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.startsWith(o)))).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  try {
    const mod = (await import(`./${f}`)) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') throw new Error('exports no run()');
    await mod.run();
  } catch (err) {
    failed++;
    console.log(`${f}: FAILED: ${(err as Error).stack ?? String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
