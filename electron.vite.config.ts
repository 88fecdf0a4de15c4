import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { type Plugin } from 'vite';

const alias = { '@shared': resolve(__dirname, 'src/shared') };

/**
 * The renderer's CSP <meta> is strict (no inline script or style). Vite's dev server and React
 * Fast Refresh inject inline code, so under `electron-vite dev` only, the meta is dropped and
 * main's dev CSP header applies; built bundles always keep it.
 */
const relaxCspInDev: Plugin = {
  name: 'flowbench-relax-csp-in-dev',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/s, ''),
};

// Three bundles: main (Electron entry + the headless CLI, which share every module but
// `src/main/index.ts`), preload (CommonJS: a sandboxed preload cannot be an ES module),
// and the renderer, which is also what `flowbench serve` hands to a browser.
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias },
    plugins: [react(), relaxCspInDev],
    build: {
      // The same bundle is served to browsers by `flowbench serve`, so ship it minified.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
