import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  electronNativeBindingPath,
  resolveNativeBinding,
} from '../../../src/main/app/native-binding';

const runtime = { electronVersion: '40.10.2', platform: 'linux', arch: 'x64' };

describe('electronNativeBindingPath', () => {
  it('keys the binary by Electron version, platform and arch', () => {
    expect(electronNativeBindingPath('/app', runtime)).toBe(
      join(
        '/app',
        'node_modules',
        '.flowbench-native',
        'electron-40.10.2-linux-x64',
        'better_sqlite3.node',
      ),
    );
    expect(electronNativeBindingPath('/app', { ...runtime, arch: 'arm64' })).not.toBe(
      electronNativeBindingPath('/app', runtime),
    );
  });
});

describe('resolveNativeBinding', () => {
  const options = {
    appPath: '/app',
    versions: { node: '22.0.0', electron: '40.10.2' },
    platform: 'linux',
    arch: 'x64',
  };

  it('returns the path when the binary was built', () => {
    const expected = electronNativeBindingPath('/app', runtime);
    expect(resolveNativeBinding({ ...options, exists: (path) => path === expected })).toBe(
      expected,
    );
  });

  it('says how to build it when it is missing', () => {
    expect(() => resolveNativeBinding({ ...options, exists: () => false })).toThrow(
      /ensure-electron-native\.mjs/,
    );
    expect(() => resolveNativeBinding({ ...options, exists: () => false })).toThrow(
      /Electron 40\.10\.2 \(linux-x64\)/,
    );
  });

  it('refuses to run outside Electron', () => {
    expect(() =>
      resolveNativeBinding({ ...options, versions: { node: '20.0.0' }, exists: () => true }),
    ).toThrow(/only inside Electron/);
  });
});
