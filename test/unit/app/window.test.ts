import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMainWindow, focusWindow } from '../../../src/main/app/window';
import { FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => ({
  BrowserWindow: (await import('./fake-electron')).FakeBrowserWindow,
}));

const options = {
  preloadFile: '/app/out/preload/index.cjs',
  url: 'file:///app/out/renderer/index.html',
  devTools: false,
};

beforeEach(() => {
  FakeBrowserWindow.created.length = 0;
});

describe('createMainWindow', () => {
  it('opens a sandboxed, isolated window without Node', () => {
    createMainWindow(options);
    const [window] = FakeBrowserWindow.created;
    expect(window?.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it('loads the given URL and shows when ready', () => {
    const window = createMainWindow(options) as unknown as FakeBrowserWindow;
    expect(window.loaded).toEqual(['file:///app/out/renderer/index.html']);
    expect(window.options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(1);
  });

  it('allows DevTools only when asked (development builds)', () => {
    createMainWindow({ ...options, devTools: true });
    expect(FakeBrowserWindow.created[0]?.options.webPreferences?.devTools).toBe(true);
  });

  it('reports a failed load instead of leaving an unhandled rejection', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const load = vi
      .spyOn(FakeBrowserWindow.prototype, 'loadURL')
      .mockRejectedValueOnce(new Error('ERR_FILE_NOT_FOUND'));
    createMainWindow(options);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(error).toHaveBeenCalled();
    load.mockRestore();
    error.mockRestore();
  });
});

describe('focusWindow', () => {
  it('restores a minimised window and brings it forward', () => {
    const window = createMainWindow(options) as unknown as FakeBrowserWindow;
    window.minimized = true;
    focusWindow(window as never);
    expect([window.restored, window.shown, window.focused]).toEqual([1, 1, 1]);
  });
});
