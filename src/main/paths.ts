import { homedir } from 'node:os';
import { join, resolve, win32 } from 'node:path';

/** package.json `productName`: Electron names the userData folder after it. */
export const PRODUCT_NAME = 'Flowbench';
export const WORKSPACE_FILE = 'workspace.sqlite';

export interface PathEnvironment {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  cwd?: string;
}

/**
 * The workspace file the desktop app opens, computed without Electron so the CLI and the loopback
 * server find the same file: Electron's `app.getPath('userData')` for productName "Flowbench"
 * (Linux `${XDG_CONFIG_HOME:-~/.config}/Flowbench`, macOS `~/Library/Application Support/Flowbench`,
 * Windows `%APPDATA%\Flowbench`) + `workspace.sqlite`. `FLOWBENCH_DB` overrides it (resolved
 * against the current directory).
 */
export function defaultWorkspacePath(environment: PathEnvironment = {}): string {
  const env = environment.env ?? process.env;
  const platform = environment.platform ?? process.platform;
  const home = environment.home ?? homedir();
  const override = env.FLOWBENCH_DB;
  if (override) return resolve(environment.cwd ?? process.cwd(), override);
  return platform === 'win32'
    ? win32.join(
        env.APPDATA || win32.join(home, 'AppData', 'Roaming'),
        PRODUCT_NAME,
        WORKSPACE_FILE,
      )
    : join(userDataParent(platform, env, home), PRODUCT_NAME, WORKSPACE_FILE);
}

function userDataParent(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}
