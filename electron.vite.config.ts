import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { type Plugin } from 'vite';
import { buildExpressionChild } from './scripts/build-expression-child.mjs';

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

/**
 * The expression host (src/main/expressions/browser-host/): a page, its script and its module
 * worker, built with the renderer into out/renderer/expression-host/ and served only through
 * the channel broker. Its HTML lives outside the renderer root, where Vite cannot take HTML
 * inputs, so page.ts is the entry and this plugin writes the page beside the built script.
 */
const expressionHostDir = resolve(__dirname, 'src/main/expressions/browser-host');
const expressionHostPage: Plugin = {
  name: 'flowbench-expression-host-page',
  apply: 'build',
  generateBundle() {
    const template = readFileSync(resolve(expressionHostDir, 'expression-host.html'), 'utf8');
    const script = '<script type="module" src="./page.ts"></script>';
    if (template.split(script).length !== 2) {
      this.error(`expression-host.html must load its script exactly once as ${script}`);
    }
    this.emitFile({
      type: 'asset',
      fileName: 'expression-host/index.html',
      source: template.replace(script, '<script type="module" src="./page.js"></script>'),
    });
  },
};

// Three bundles: main (Electron entry + the headless CLI, which share every module but
// `src/main/index.ts`), preload (CommonJS: a sandboxed preload cannot be an ES module),
// and the renderer, which is also what `flowbench serve` hands to a browser.
/** The Node expression host's child process is its own self-contained bundle (see the script). */
const expressionChild: Plugin = {
  name: 'flowbench-expression-child',
  apply: 'build',
  async closeBundle() {
    await buildExpressionChild(__dirname);
  },
};

export default defineConfig({
  main: {
    resolve: { alias },
    plugins: [expressionChild],
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
    plugins: [react(), relaxCspInDev, expressionHostPage],
    // Only the expression host has a worker: an ES module worker (it imports Pyodide's .mjs).
    worker: {
      format: 'es',
      rollupOptions: { output: { entryFileNames: 'expression-host/[name]-[hash].js', chunkFileNames: 'expression-host/[name]-[hash].js' } },
    },
    build: {
      // The same bundle is served to browsers by `flowbench serve`, so ship it minified.
      minify: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          'expression-host': resolve(expressionHostDir, 'page.ts'),
        },
        output: {
          entryFileNames: (chunk) =>
            chunk.name === 'expression-host' ? 'expression-host/page.js' : 'assets/[name]-[hash].js',
        },
      },
    },
  },
});
