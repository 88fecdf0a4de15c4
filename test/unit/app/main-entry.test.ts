import { beforeEach, describe, expect, it, vi } from 'vitest';
import { procedureNames } from '@shared/contract';
import { type Handlers } from '../../../src/main/api/handler-types';
import { createEventBus } from '../../../src/main/events/event-bus';
import {
  FakeApp,
  FakeBrowserWindow,
  FakeIpcMain,
  FakeSession,
  FakeWebContents,
} from './fake-electron';

/*
 * src/main/index.ts end to end against a fake Electron: what it asks Electron to do at
 * start-up, on a second instance, on a workspace that cannot open, and at shutdown.
 */

const state = vi.hoisted(() => ({
  electron: null as unknown as {
    app: FakeApp;
    session: { defaultSession: FakeSession };
    ipcMain: FakeIpcMain;
    shell: { openExternal: ReturnType<typeof vi.fn> };
    dialog: { showErrorBox: ReturnType<typeof vi.fn> };
    Menu: {
      buildFromTemplate: ReturnType<typeof vi.fn>;
      setApplicationMenu: ReturnType<typeof vi.fn>;
    };
    BrowserWindow: typeof FakeBrowserWindow;
  },
  openWorkspace: vi.fn(),
  resolveNativeBinding: vi.fn(() => '/native/better_sqlite3.node'),
  registerExpressionScheme: vi.fn(),
}));

// Getters: the factory's result is cached across vi.resetModules(), each test's fakes are not.
vi.mock('electron', () => ({
  get app() {
    return state.electron.app;
  },
  get session() {
    return state.electron.session;
  },
  get ipcMain() {
    return state.electron.ipcMain;
  },
  get shell() {
    return state.electron.shell;
  },
  get dialog() {
    return state.electron.dialog;
  },
  get Menu() {
    return state.electron.Menu;
  },
  get BrowserWindow() {
    return state.electron.BrowserWindow;
  },
}));
// The hidden expression window has its own contract test (test/contract/expression-window.test.ts).
vi.mock('../../../src/main/app/expression-window', () => ({
  registerExpressionScheme: state.registerExpressionScheme,
  createExpressionWindowFactory: () => ({ kind: 'fake', launch: () => ({ send() {}, interrupt: () => false, kill() {} }), dispose: vi.fn() }),
}));
vi.mock('../../../src/main/paths', () => ({
  defaultWorkspacePath: () => '/user-data/Flowbench/workspace.sqlite',
}));
vi.mock('../../../src/main/workspace', () => ({ openWorkspace: state.openWorkspace }));
vi.mock('../../../src/main/app/native-binding', () => ({
  resolveNativeBinding: state.resolveNativeBinding,
}));

function fakeWorkspace() {
  const handlers = Object.fromEntries(
    procedureNames.map((name) => [
      name,
      () => ({ path: '/user-data/Flowbench/workspace.sqlite', schema_version: 1, counts: {} }),
    ]),
  ) as unknown as Handlers;
  return { handlers, events: createEventBus(), close: vi.fn() };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function startApp() {
  vi.resetModules();
  await import('../../../src/main/index');
  await flush();
  await flush();
}

beforeEach(() => {
  FakeBrowserWindow.created.length = 0;
  state.electron = {
    app: new FakeApp(),
    session: { defaultSession: new FakeSession() },
    ipcMain: new FakeIpcMain(),
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    dialog: { showErrorBox: vi.fn() },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => template),
      setApplicationMenu: vi.fn(),
    },
    BrowserWindow: FakeBrowserWindow,
  };
  state.openWorkspace.mockReset();
  state.resolveNativeBinding.mockReset().mockReturnValue('/native/better_sqlite3.node');
  // The entry asks to quit on SIGINT/SIGTERM; keep those listeners out of the test worker.
  vi.spyOn(process, 'once').mockImplementation(() => process);
});

describe('src/main/index.ts', () => {
  it('quits at once when another instance holds the lock', async () => {
    state.electron.app.lock = false;
    await startApp();
    expect(state.electron.app.calls).toEqual(['requestSingleInstanceLock', 'quit']);
    expect(state.openWorkspace).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toEqual([]);
  });

  it('starts hardened: sandbox, permissions, CSP, menu, workspace, IPC, one window', async () => {
    const workspace = fakeWorkspace();
    state.openWorkspace.mockReturnValue(workspace);
    await startApp();
    const { app, session, ipcMain } = state.electron;

    expect(app.calls.slice(0, 2)).toEqual(['requestSingleInstanceLock', 'enableSandbox']);
    expect(session.defaultSession.requestHandler).not.toBeNull();
    expect(session.defaultSession.checkHandler?.({}, 'media', 'file://', {})).toBe(false);
    expect(session.defaultSession.headersListener).not.toBeNull();
    expect(state.electron.Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(state.openWorkspace).toHaveBeenCalledWith({
      path: '/user-data/Flowbench/workspace.sqlite',
      nativeBinding: '/native/better_sqlite3.node',
      expressions: expect.objectContaining({ evaluate: expect.any(Function) }),
    });
    // Expression policies: the hidden renderer's scheme is registered before ready, and
    // renderers' wasm memory is capped (a memory bomb ends in MemoryError).
    expect(state.registerExpressionScheme).toHaveBeenCalled();
    expect(app.switches).toContainEqual(['js-flags', expect.stringMatching(/^--wasm-max-mem-pages=\d+$/)]);
    expect(ipcMain.handlers.size).toBe(procedureNames.length);

    expect(FakeBrowserWindow.created).toHaveLength(1);
    const [window] = FakeBrowserWindow.created;
    expect(window?.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(String(window?.options.webPreferences?.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(window?.loaded[0]).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);

    // The renderer's calls are answered; a foreign frame's are not.
    await expect(
      ipcMain.invoke('rpc:workspace.info', window?.loaded[0] ?? '', undefined),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      ipcMain.invoke('rpc:workspace.info', 'https://evil.example/', undefined),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('guards every web contents created later', async () => {
    state.openWorkspace.mockReturnValue(fakeWorkspace());
    await startApp();
    const contents = new FakeWebContents();
    state.electron.app.emit('web-contents-created', {}, contents);
    expect(contents.attempt('will-navigate', 'https://evil.example')).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(state.electron.shell.openExternal).toHaveBeenCalledWith('https://evil.example/');
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(state.electron.shell.openExternal).toHaveBeenCalledOnce();
  });

  it('focuses the existing window when a second instance starts', async () => {
    state.openWorkspace.mockReturnValue(fakeWorkspace());
    await startApp();
    const [window] = FakeBrowserWindow.created;
    if (!window) throw new Error('no window');
    window.minimized = true;
    state.electron.app.emit('second-instance', {}, [], '/');
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect([window.restored, window.focused]).toEqual([1, 1]);
  });

  it('sends workspace events to the window', async () => {
    const workspace = fakeWorkspace();
    state.openWorkspace.mockReturnValue(workspace);
    await startApp();
    const payload = { entity: 'user', action: 'updated', pk: 1 } as const;
    workspace.events.emit('workspace.changed', payload);
    expect(FakeBrowserWindow.created[0]?.webContents.sent).toEqual([
      { channel: 'event:workspace.changed', payload },
    ]);
  });

  it('closes the workspace and removes the IPC handlers on quit', async () => {
    const workspace = fakeWorkspace();
    state.openWorkspace.mockReturnValue(workspace);
    await startApp();
    state.electron.app.emit('will-quit', {});
    state.electron.app.emit('will-quit', {});
    expect(workspace.close).toHaveBeenCalledOnce();
    expect(state.electron.ipcMain.handlers.size).toBe(0);
  });

  it('shows the reason and quits, without a window, when the workspace cannot open', async () => {
    state.openWorkspace.mockImplementation(() => {
      throw new Error(
        'This workspace was written by a newer Flowbench (schema 9; this build knows 3).',
      );
    });
    await startApp();
    const { dialog, app, ipcMain } = state.electron;
    expect(dialog.showErrorBox).toHaveBeenCalledOnce();
    const [title, message] = dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(title).toMatch(/cannot open its workspace/);
    expect(message).toContain('newer Flowbench');
    expect(message).toContain('/user-data/Flowbench/workspace.sqlite');
    expect(app.calls).toContain('exit:1');
    expect(FakeBrowserWindow.created).toEqual([]);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('shows how to build the native module when it is missing', async () => {
    state.resolveNativeBinding.mockImplementation(() => {
      throw new Error(
        'better-sqlite3 has not been built for Electron 40.10.2. Run `node scripts/ensure-electron-native.mjs`',
      );
    });
    await startApp();
    expect(state.openWorkspace).not.toHaveBeenCalled();
    expect(state.electron.dialog.showErrorBox.mock.calls[0]?.[1]).toContain(
      'ensure-electron-native',
    );
    expect(state.electron.app.calls).toContain('exit:1');
    expect(FakeBrowserWindow.created).toEqual([]);
  });

  it('reports any other start-up failure, closes the workspace and quits', async () => {
    const workspace = fakeWorkspace();
    delete (workspace.handlers as Partial<Handlers>)['flows.list'];
    state.openWorkspace.mockReturnValue(workspace);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await startApp();
    error.mockRestore();
    expect(state.electron.dialog.showErrorBox.mock.calls[0]?.[0]).toBe('Flowbench failed to start');
    expect(workspace.close).toHaveBeenCalledOnce();
    expect(state.electron.app.calls).toContain('exit:1');
    expect(FakeBrowserWindow.created).toEqual([]);
  });
});
