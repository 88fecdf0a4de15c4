#!/usr/bin/env node
// Makes sure better-sqlite3 exists in a build for Electron's ABI, next to (never instead of)
// the Node build that tests and the CLI use. Run by `npm start` and `npm run dev`.
//
//   node_modules/.flowbench-native/electron-<version>-<platform>-<arch>/better_sqlite3.node
//
// better-sqlite3 is a NAN/V8 addon, so Electron needs its own binary. The build happens in a
// temporary copy of the package: node_modules/better-sqlite3 is only ever read. First try
// the prebuilt binary (prebuild-install --runtime electron), then compile against Electron's
// headers (node-gyp --runtime=electron). Idempotent: when the binary is there, do nothing.
//
// argon2 needs nothing here: it is a Node-API addon, and Node-API is ABI-stable, so the same
// binary loads under Node and Electron.
//
// Keep the folder layout in step with src/main/app/native-binding.ts.
//
// Environment (mostly for tests):
//   FLOWBENCH_PROJECT_ROOT   project whose node_modules to use (default: this script's ../)
//   FLOWBENCH_NATIVE_ARCH    target arch (default: process.arch)
//   FLOWBENCH_NATIVE_PLATFORM target platform (default: process.platform)
//   FLOWBENCH_NODE_GYP       path to node-gyp's bin/node-gyp.js (default: npm's own)
//   FLOWBENCH_SKIP_ELECTRON_NATIVE=1  do nothing (e.g. machines that only run `flowbench serve`)
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BINARY = 'better_sqlite3.node';
const STAMP = 'source.json';
const HEADERS_URL = 'https://electronjs.org/headers';

const log = (message) => process.stdout.write(`[ensure-electron-native] ${message}\n`);

class Failure extends Error {}

function readJson(path, what) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Failure(`cannot read ${what} (${path}): ${error.message}`);
  }
}

function settings() {
  const root = resolve(
    process.env.FLOWBENCH_PROJECT_ROOT || join(dirname(fileURLToPath(import.meta.url)), '..'),
  );
  const modules = join(root, 'node_modules');
  const electronVersion = readJson(
    join(modules, 'electron', 'package.json'),
    'the installed electron package',
  ).version;
  const sqlitePackage = join(modules, 'better-sqlite3');
  const sqliteVersion = readJson(
    join(sqlitePackage, 'package.json'),
    'the installed better-sqlite3 package',
  ).version;
  const platform = process.env.FLOWBENCH_NATIVE_PLATFORM || process.platform;
  const arch = process.env.FLOWBENCH_NATIVE_ARCH || process.arch;
  const targetDir = join(
    modules,
    '.flowbench-native',
    `electron-${electronVersion}-${platform}-${arch}`,
  );
  return {
    root,
    modules,
    electronVersion,
    sqlitePackage,
    sqliteVersion,
    platform,
    arch,
    targetDir,
    target: join(targetDir, BINARY),
  };
}

/** The binary is current when it exists and, if a stamp was written with it, the stamp matches. */
function isCurrent(s) {
  if (!existsSync(s.target) || statSync(s.target).size === 0) return false;
  const stampPath = join(s.targetDir, STAMP);
  if (!existsSync(stampPath)) return true; // placed by hand: trust it
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    return stamp.betterSqlite3 === s.sqliteVersion && stamp.electron === s.electronVersion;
  } catch {
    return false;
  }
}

function run(label, args, cwd) {
  log(`${label}: ${args.join(' ')}`);
  const result = spawnSync(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (result.error) return `${label} could not start: ${result.error.message}`;
  if (result.status !== 0) return `${label} exited with ${result.status ?? result.signal}`;
  return null;
}

function resolveFrom(fromPackageDir, request) {
  try {
    return createRequire(join(fromPackageDir, 'package.json')).resolve(request);
  } catch {
    return null;
  }
}

function findNodeGyp(s) {
  const candidates = [
    process.env.FLOWBENCH_NODE_GYP,
    // npm sets this for lifecycle scripts to its bundled node-gyp.
    process.env.npm_config_node_gyp,
    resolveFrom(s.sqlitePackage, 'node-gyp/bin/node-gyp.js'),
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    join(
      dirname(process.execPath),
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((candidate) => candidate && existsSync(candidate)) ?? null;
}

/** A private copy of the package to build in, without its existing (Node-ABI) build output. */
function copyPackage(s) {
  const work = mkdtempSync(join(tmpdir(), 'flowbench-native-'));
  const copy = join(work, 'better-sqlite3');
  const skip = new Set([join(s.sqlitePackage, 'build'), join(s.sqlitePackage, 'node_modules')]);
  // Returning false for a folder skips all of it.
  cpSync(s.sqlitePackage, copy, { recursive: true, filter: (source) => !skip.has(source) });
  return { work, copy };
}

function build(s) {
  const { work, copy } = copyPackage(s);
  log(`building in ${copy} (node_modules/better-sqlite3 is left as it is)`);
  const errors = [];
  try {
    const built = join(copy, 'build', 'Release', BINARY);
    const prebuild = resolveFrom(s.sqlitePackage, 'prebuild-install/bin.js');
    if (prebuild) {
      const error = run(
        'prebuild-install',
        [
          prebuild,
          '--runtime',
          'electron',
          '--target',
          s.electronVersion,
          '--arch',
          s.arch,
          '--platform',
          s.platform,
          '--verbose',
        ],
        copy,
      );
      if (error) errors.push(error);
    } else {
      errors.push('prebuild-install is not installed');
    }

    if (!existsSync(built)) {
      const nodeGyp = findNodeGyp(s);
      if (nodeGyp) {
        const devdir = join(
          process.env.HOME || process.env.USERPROFILE || tmpdir(),
          '.electron-gyp',
        );
        const error = run(
          'node-gyp',
          [
            nodeGyp,
            'rebuild',
            '--release',
            '--runtime=electron',
            `--target=${s.electronVersion}`,
            `--arch=${s.arch}`,
            `--dist-url=${HEADERS_URL}`,
            `--devdir=${devdir}`,
          ],
          copy,
        );
        if (error) errors.push(error);
      } else {
        errors.push('node-gyp was not found (set FLOWBENCH_NODE_GYP to its bin/node-gyp.js)');
      }
    }

    if (!existsSync(built)) {
      throw new Failure(
        [
          `could not get better-sqlite3 ${s.sqliteVersion} for Electron ${s.electronVersion} (${s.platform}-${s.arch}):`,
          ...errors.map((error) => `  - ${error}`),
          'Both ways need the network once: github.com (prebuilt binaries) or electronjs.org (headers to compile).',
          'If this machine is offline, copy a better_sqlite3.node built for that Electron version to',
          `  ${s.target}`,
          'or use `npx flowbench serve`, which runs in plain Node and needs no Electron build.',
        ].join('\n'),
      );
    }

    mkdirSync(s.targetDir, { recursive: true });
    const partial = `${s.target}.partial-${process.pid}`;
    copyFileSync(built, partial);
    renameSync(partial, s.target); // atomic: a concurrent start never sees half a file
    writeFileSync(
      join(s.targetDir, STAMP),
      `${JSON.stringify({ betterSqlite3: s.sqliteVersion, electron: s.electronVersion }, null, 2)}\n`,
    );
    log(`installed ${s.target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  if (process.env.FLOWBENCH_SKIP_ELECTRON_NATIVE === '1') {
    log('skipped (FLOWBENCH_SKIP_ELECTRON_NATIVE=1)');
    return 0;
  }
  try {
    const s = settings();
    if (isCurrent(s)) {
      log(`up to date: ${s.target}`);
      return 0;
    }
    log(
      `better-sqlite3 ${s.sqliteVersion} for Electron ${s.electronVersion} (${s.platform}-${s.arch}) is missing: ${s.target}`,
    );
    build(s);
    return 0;
  } catch (error) {
    process.stderr.write(
      `[ensure-electron-native] ${error instanceof Failure ? error.message : error.stack}\n`,
    );
    return 1;
  }
}

process.exitCode = main();
