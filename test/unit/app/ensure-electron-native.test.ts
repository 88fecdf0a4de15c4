import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { electronNativeBindingPath } from '../../../src/main/app/native-binding';

/*
 * scripts/ensure-electron-native.mjs against a fake project: fake electron and better-sqlite3
 * packages, and fake prebuild-install / node-gyp that "build" by writing a file (there is no
 * network here, and the logic is what is under test). The fakes log their argv and cwd.
 */

const script = resolve(__dirname, '../../../scripts/ensure-electron-native.mjs');
const ELECTRON = '40.1.0';

let root: string;
let temp: string;
let log: string;

function write(path: string, content: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

/** A stand-in build tool: logs its call, then writes build/Release/better_sqlite3.node or fails. */
function fakeTool(path: string, tool: string, succeed: boolean): void {
  write(
    path,
    `const fs = require('node:fs'); const path = require('node:path');
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool: ${JSON.stringify(tool)}, cwd: process.cwd(), argv: process.argv.slice(2) }) + '\\n');
if (!${succeed}) { console.error('${tool}: getaddrinfo ENOTFOUND'); process.exit(1); }
fs.mkdirSync(path.join(process.cwd(), 'build', 'Release'), { recursive: true });
fs.writeFileSync(path.join(process.cwd(), 'build', 'Release', 'better_sqlite3.node'), 'electron-abi from ${tool}');
`,
  );
}

function fakeProject(options: { prebuild: boolean; nodeGyp: boolean }): void {
  const modules = join(root, 'node_modules');
  write(
    join(modules, 'electron', 'package.json'),
    JSON.stringify({ name: 'electron', version: ELECTRON }),
  );
  const sqlite = join(modules, 'better-sqlite3');
  write(
    join(sqlite, 'package.json'),
    JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }),
  );
  write(join(sqlite, 'binding.gyp'), '{}');
  write(join(sqlite, 'src', 'better_sqlite3.cpp'), '// source');
  write(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'node-abi');
  write(
    join(modules, 'prebuild-install', 'package.json'),
    JSON.stringify({ name: 'prebuild-install', version: '7.1.3', bin: './bin.js' }),
  );
  fakeTool(join(modules, 'prebuild-install', 'bin.js'), 'prebuild-install', options.prebuild);
  fakeTool(join(temp, 'node-gyp', 'bin', 'node-gyp.js'), 'node-gyp', options.nodeGyp);
}

function run(env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: temp,
      TMPDIR: temp,
      FLOWBENCH_PROJECT_ROOT: root,
      FLOWBENCH_NODE_GYP: join(temp, 'node-gyp', 'bin', 'node-gyp.js'),
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function calls(): Array<{ tool: string; cwd: string; argv: string[] }> {
  return existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as never)
    : [];
}

/** Every file of a folder with its content hash and mtime. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        out[relative(dir, path)] =
          `${createHash('sha256').update(readFileSync(path)).digest('hex')}@${statSync(path).mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

const target = () =>
  electronNativeBindingPath(root, {
    electronVersion: ELECTRON,
    platform: process.platform,
    arch: process.arch,
  });
const sqliteDir = () => join(root, 'node_modules', 'better-sqlite3');
const leftovers = () => readdirSync(temp).filter((name) => name.startsWith('flowbench-native-'));

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'flowbench-ensure-test-'));
  root = join(temp, 'project');
  log = join(temp, 'calls.log');
});

afterEach(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe('ensure-electron-native', () => {
  it('fetches the Electron prebuild into node_modules/.flowbench-native, in a copy of the package', () => {
    fakeProject({ prebuild: true, nodeGyp: false });
    const before = snapshot(sqliteDir());
    const result = run();
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(target(), 'utf8')).toBe('electron-abi from prebuild-install');
    expect(result.stdout).toContain(`installed ${target()}`);

    const [call, ...more] = calls();
    expect(more).toEqual([]);
    expect(call?.tool).toBe('prebuild-install');
    expect(call?.argv).toEqual(
      expect.arrayContaining([
        '--runtime',
        'electron',
        '--target',
        ELECTRON,
        '--arch',
        process.arch,
      ]),
    );
    expect(call?.cwd.startsWith(join(temp, 'flowbench-native-'))).toBe(true);

    expect(snapshot(sqliteDir())).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('does nothing when the binary is already there', () => {
    fakeProject({ prebuild: true, nodeGyp: true });
    expect(run().status).toBe(0);
    const built = snapshot(join(root, 'node_modules', '.flowbench-native'));
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`up to date: ${target()}`);
    expect(calls()).toHaveLength(1);
    expect(snapshot(join(root, 'node_modules', '.flowbench-native'))).toEqual(built);
  });

  it('trusts a binary placed by hand', () => {
    fakeProject({ prebuild: false, nodeGyp: false });
    write(target(), 'hand-made');
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('up to date');
    expect(calls()).toEqual([]);
    expect(readFileSync(target(), 'utf8')).toBe('hand-made');
  });

  it('rebuilds when better-sqlite3 was upgraded since', () => {
    fakeProject({ prebuild: true, nodeGyp: false });
    expect(run().status).toBe(0);
    write(
      join(sqliteDir(), 'package.json'),
      JSON.stringify({ name: 'better-sqlite3', version: '12.12.0' }),
    );
    const result = run();
    expect(result.status).toBe(0);
    expect(calls()).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(target(), '..', 'source.json'), 'utf8'))).toEqual({
      betterSqlite3: '12.12.0',
      electron: ELECTRON,
    });
  });

  it('falls back to compiling against Electron headers with node-gyp', () => {
    fakeProject({ prebuild: false, nodeGyp: true });
    const before = snapshot(sqliteDir());
    const result = run();
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(target(), 'utf8')).toBe('electron-abi from node-gyp');
    const gyp = calls().find((call) => call.tool === 'node-gyp');
    expect(gyp?.argv).toEqual(
      expect.arrayContaining([
        'rebuild',
        '--runtime=electron',
        `--target=${ELECTRON}`,
        '--dist-url=https://electronjs.org/headers',
      ]),
    );
    expect(gyp?.cwd.startsWith(join(temp, 'flowbench-native-'))).toBe(true);
    expect(snapshot(sqliteDir())).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('fails clearly when offline, leaving everything as it was', () => {
    fakeProject({ prebuild: false, nodeGyp: false });
    const before = snapshot(sqliteDir());
    const result = run();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/could not get better-sqlite3 12\.11\.1 for Electron 40\.1\.0/);
    expect(result.stderr).toMatch(/network/);
    expect(result.stderr).toContain(target());
    expect(existsSync(target())).toBe(false);
    expect(snapshot(sqliteDir())).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('fails clearly when electron is not installed', () => {
    fakeProject({ prebuild: true, nodeGyp: true });
    rmSync(join(root, 'node_modules', 'electron'), { recursive: true });
    const result = run();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot read the installed electron package/);
  });

  it('can be skipped', () => {
    fakeProject({ prebuild: true, nodeGyp: true });
    const result = run({ FLOWBENCH_SKIP_ELECTRON_NATIVE: '1' });
    expect(result.status).toBe(0);
    expect(existsSync(target())).toBe(false);
  });
});
