// Bundles the Node expression host's child process into one self-contained file. It must not
// import anything from node_modules at run time: under the permission model it may read only
// itself and Pyodide's directory. Called by electron-vite's main build (electron.vite.config.ts).
import { build } from 'esbuild';
import { resolve } from 'node:path';

export const EXPRESSION_CHILD_OUTFILE = 'out/expression-host/child.cjs';

export async function buildExpressionChild(root) {
  await build({
    entryPoints: [resolve(root, 'src/main/expressions/node-host/child.ts')],
    outfile: resolve(root, EXPRESSION_CHILD_OUTFILE),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: false,
    sourcemap: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildExpressionChild(process.cwd());
}
