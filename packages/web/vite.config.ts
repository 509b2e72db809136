import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The tablet UI: ui/ built to dist/ui, served by the web server with a no-inline-script CSP. */
export default defineConfig({
  root: here('./ui'),
  base: '/',
  // Svelte's defaults suffice (TypeScript in components needs no preprocessor).
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: here('./dist/ui'),
    // dist/ also holds the compiled server: empty only the UI folder.
    emptyOutDir: true,
    // The module-preload polyfill would be the only inline-ish helper; modern tablets do not need it.
    modulePreload: { polyfill: false },
    target: 'es2022',
    // No source maps in what is served: they would hand out the whole source (#14).
    sourcemap: false,
  },
  server: {
    // `npm run dev -w @rxscan/web`: the UI with hot reload, /meds sent to a running web server.
    proxy: { '/meds': { target: process.env.WEB_URL ?? 'http://127.0.0.1:8080', ws: true } },
  },
});
