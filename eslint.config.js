// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');
const globals = require('globals');

// The import boundaries of ARCHITECTURE.md, kept by tooling rather than memory.
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads'];
const restrict = (patterns) => ['error', { patterns }];

module.exports = tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.cjs', 'eslint.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Shared code runs in every runtime: no Electron, no native modules, no React, no Node.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'better-sqlite3', 'argon2', 'react', 'react-dom', ...nodeBuiltins], message: 'src/shared must stay runtime-neutral.' },
        { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared may not reach into a runtime folder.' },
      ]),
    },
  },
  {
    // Everything in main is plain Node, except the Electron entry and the app/ adapters.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/app/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'Only src/main/index.ts and src/main/app/ may import electron.' },
        { group: ['react', 'react-dom', '**/renderer/**'], message: 'main does not import renderer code.' },
      ]),
    },
  },
  {
    // The engine and the blueprint codec are pure: ports are injected.
    files: ['src/main/engine/**/*.ts', 'src/main/blueprint/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'better-sqlite3', 'react', 'react-dom'], message: 'Engine code takes ports; it does not import Electron, SQLite or React.' },
        { group: ['**/store/**', '**/transport/**', '**/app/**'], message: 'Engine code takes ports; it does not import adapters.' },
      ]),
    },
  },
  {
    // Expression workers run untrusted Python beside them: the shared worker core and the
    // browser host (page + worker) use no Node, no Electron and no React. The channel broker,
    // the node side of the browser host, lives in browser-channel/ (its envelope is neutral).
    files: [
      'src/main/expressions/worker/**/*.ts',
      'src/main/expressions/browser-host/**/*.ts',
      'src/main/expressions/browser-channel/envelope.ts',
    ],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'better-sqlite3', 'argon2', 'react', 'react-dom', ...nodeBuiltins], message: 'Expression worker code runs in a Web Worker and a locked-down child: no Node, Electron or React.' },
        { group: ['**/renderer/**', '**/app/**', '**/store/**', '**/transport/**', '**/node-host/**'], message: 'Expression worker code imports only the protocol, the worker core and the channel envelope.' },
      ]),
    },
  },
  {
    files: ['src/main/expressions/browser-host/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        { group: ['electron', 'better-sqlite3', 'argon2', ...nodeBuiltins], message: 'The renderer runs in a browser sandbox.' },
        { group: ['**/main/**', '**/preload/index*'], message: 'The renderer talks to main only through the client.' },
      ]),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['better-sqlite3', 'argon2', 'react', '**/main/**', ...nodeBuiltins], message: 'The preload is a thin bridge.' },
      ]),
    },
  },
);
