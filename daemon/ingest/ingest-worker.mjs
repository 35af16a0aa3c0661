// Entry of the ingest thread (worker-ingest.ts). Plain JavaScript, so it starts the same under
// `uartscope` (tsx), vitest and `node --import tsx`: a worker does not run its parent's module
// hooks, so it registers tsx itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./ingest-worker-main.ts');
