import { existsSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Native modules under Electron.
 *
 * better-sqlite3 is a NAN/V8 addon: its `.node` file is tied to one runtime ABI, and
 * Electron's V8 differs from Node's. The Node build in node_modules/better-sqlite3/build
 * stays for tests and the CLI; `scripts/ensure-electron-native.mjs` (run by `npm start` and
 * `npm run dev`) builds a second copy for Electron into the folder computed below, and the
 * main process hands its path to better-sqlite3 as `nativeBinding`.
 *
 * argon2 is a Node-API addon. Node-API is ABI-stable across Node versions and Electron, so
 * the very same `.node` loads in both runtimes without a rebuild.
 *
 * Keep this layout in step with scripts/ensure-electron-native.mjs (a unit test compares
 * the path the script prints with `electronNativeBindingPath`).
 */

export const NATIVE_CACHE_DIR = join('node_modules', '.flowbench-native');
export const BETTER_SQLITE3_BINARY = 'better_sqlite3.node';

export interface ElectronRuntime {
  /** `process.versions.electron` */
  readonly electronVersion: string;
  /** `process.platform` */
  readonly platform: string;
  /** `process.arch` */
  readonly arch: string;
}

/** `<appPath>/node_modules/.flowbench-native/electron-<version>-<platform>-<arch>/better_sqlite3.node` */
export function electronNativeBindingPath(appPath: string, runtime: ElectronRuntime): string {
  const folder = `electron-${runtime.electronVersion}-${runtime.platform}-${runtime.arch}`;
  return join(appPath, NATIVE_CACHE_DIR, folder, BETTER_SQLITE3_BINARY);
}

export interface ResolveNativeBindingOptions {
  readonly appPath: string;
  /** `process.versions`; `electron` is missing when this runs under plain Node. */
  readonly versions: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  readonly arch: string;
  readonly exists?: (path: string) => boolean;
}

/** The Electron-ABI better-sqlite3 binary, or an error that says how to build it. */
export function resolveNativeBinding(options: ResolveNativeBindingOptions): string {
  const electronVersion = options.versions['electron'];
  if (!electronVersion) {
    throw new Error(
      'resolveNativeBinding runs only inside Electron (process.versions.electron is not set).',
    );
  }
  const path = electronNativeBindingPath(options.appPath, {
    electronVersion,
    platform: options.platform,
    arch: options.arch,
  });
  const exists = options.exists ?? existsSync;
  if (!exists(path)) {
    throw new Error(
      `better-sqlite3 has not been built for Electron ${electronVersion} (${options.platform}-${options.arch}).\n` +
        `Expected ${path}\n` +
        'Run `node scripts/ensure-electron-native.mjs` (npm start and npm run dev do this first).',
    );
  }
  return path;
}
