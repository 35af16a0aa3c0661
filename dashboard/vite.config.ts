import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// `npm run build` = `vite build --config dashboard/vite.config.ts`: the page is built into
// dashboard/dist, which DashboardServer serves. `npx vite --config dashboard/vite.config.ts`
// serves it with hot reload against a daemon on the default port.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything as files under /assets: the server's CSP allows no inline script or data: script.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:7878', ws: true },
      '/api': 'http://127.0.0.1:7878',
    },
  },
});
