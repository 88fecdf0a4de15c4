import { describe, expect, it } from 'vitest';
import { defaultWorkspacePath } from '../../../src/main/paths';

describe('defaultWorkspacePath', () => {
  it('follows Electron userData on Linux, honouring XDG_CONFIG_HOME', () => {
    expect(defaultWorkspacePath({ env: {}, platform: 'linux', home: '/home/ada' })).toBe(
      '/home/ada/.config/Flowbench/workspace.sqlite',
    );
    expect(
      defaultWorkspacePath({
        env: { XDG_CONFIG_HOME: '/xdg' },
        platform: 'linux',
        home: '/home/ada',
      }),
    ).toBe('/xdg/Flowbench/workspace.sqlite');
  });

  it('uses Application Support on macOS', () => {
    expect(
      defaultWorkspacePath({
        env: { XDG_CONFIG_HOME: '/ignored' },
        platform: 'darwin',
        home: '/Users/ada',
      }),
    ).toBe('/Users/ada/Library/Application Support/Flowbench/workspace.sqlite');
  });

  it('uses %APPDATA% on Windows', () => {
    expect(
      defaultWorkspacePath({
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        platform: 'win32',
        home: 'C:\\Users\\ada',
      }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\Flowbench\\workspace.sqlite');
    expect(defaultWorkspacePath({ env: {}, platform: 'win32', home: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Flowbench\\workspace.sqlite',
    );
  });

  it('is overridden by FLOWBENCH_DB, resolved against the working directory', () => {
    expect(
      defaultWorkspacePath({
        env: { FLOWBENCH_DB: '/data/w.sqlite' },
        platform: 'linux',
        home: '/h',
      }),
    ).toBe('/data/w.sqlite');
    expect(
      defaultWorkspacePath({
        env: { FLOWBENCH_DB: 'w.sqlite' },
        platform: 'linux',
        home: '/h',
        cwd: '/work',
      }),
    ).toBe('/work/w.sqlite');
  });
});
