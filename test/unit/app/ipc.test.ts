import { beforeEach, describe, expect, it, vi } from 'vitest';
import { procedureNames, rpcChannel } from '@shared/contract';
import { type Handlers } from '../../../src/main/api/handler-types';
import { createEventBus } from '../../../src/main/events/event-bus';
import { createAppUrlCheck } from '../../../src/main/app/app-url';
import { connectIpc } from '../../../src/main/app/ipc';
import { FakeBrowserWindow, type FakeIpcMain } from './fake-electron';

const electron = vi.hoisted(() => ({ ipcMain: null as unknown }));
vi.mock('electron', async () => {
  const fakes = await import('./fake-electron');
  electron.ipcMain = new fakes.FakeIpcMain();
  return { ipcMain: electron.ipcMain, BrowserWindow: fakes.FakeBrowserWindow };
});

const rendererFile = '/opt/flowbench/out/renderer/index.html';
const appUrl = 'file:///opt/flowbench/out/renderer/index.html';
const info = { path: '/tmp/w.sqlite', schema_version: 1, counts: {} };

function setUp(devServerUrl: string | null = null) {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    procedureNames.map((name) => [
      name,
      () => (calls.push(name), name === 'workspace.info' ? info : []),
    ]),
  ) as unknown as Handlers;
  const events = createEventBus();
  const source = { rendererFile, devServerUrl };
  const disconnect = connectIpc({ handlers, events, source, isAppUrl: createAppUrlCheck(source) });
  return { calls, events, disconnect, ipcMain: electron.ipcMain as FakeIpcMain };
}

beforeEach(() => {
  FakeBrowserWindow.created.length = 0;
});

describe('connectIpc', () => {
  it('registers one handler per procedure and removes them all on disconnect', () => {
    const { ipcMain, disconnect } = setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(procedureNames.map(rpcChannel).sort());
    disconnect();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it("answers the app's own renderer", async () => {
    const { ipcMain, calls, disconnect } = setUp();
    await expect(ipcMain.invoke('rpc:workspace.info', appUrl, undefined)).resolves.toEqual({
      ok: true,
      value: info,
    });
    await expect(
      ipcMain.invoke('rpc:workspace.info', `${appUrl}#/flows`, undefined),
    ).resolves.toMatchObject({ ok: true });
    expect(calls).toEqual(['workspace.info', 'workspace.info']);
    disconnect();
  });

  it('refuses foreign and missing frames without calling a handler', async () => {
    const { ipcMain, calls, disconnect } = setUp();
    for (const sender of [
      'https://evil.example/',
      'file:///tmp/evil.html',
      'http://localhost:5173/',
      'about:blank',
      null,
    ]) {
      await expect(
        ipcMain.invoke('rpc:workspace.info', sender, undefined),
        String(sender),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(calls).toEqual([]);
    disconnect();
  });

  it('in dev, trusts the dev server origin and not the file', async () => {
    const { ipcMain, disconnect } = setUp('http://localhost:5173/');
    await expect(
      ipcMain.invoke('rpc:workspace.info', 'http://localhost:5173/', undefined),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      ipcMain.invoke('rpc:workspace.info', 'https://evil.example/', undefined),
    ).resolves.toMatchObject({ ok: false });
    disconnect();
  });

  it('sends events to every window showing the app, and stops on disconnect', async () => {
    const { events, disconnect } = setUp();
    const first = new FakeBrowserWindow({});
    const second = new FakeBrowserWindow({});
    const foreign = new FakeBrowserWindow({});
    const closed = new FakeBrowserWindow({});
    await first.loadURL(appUrl);
    await second.loadURL(`${appUrl}#/users`);
    await foreign.loadURL('https://evil.example/');
    await closed.loadURL(appUrl);
    closed.destroyed = true;
    const payload = { entity: 'flow', action: 'created', pk: 'a' } as const;
    events.emit('workspace.changed', payload);
    expect(first.webContents.sent).toEqual([{ channel: 'event:workspace.changed', payload }]);
    expect(second.webContents.sent).toEqual([{ channel: 'event:workspace.changed', payload }]);
    expect(foreign.webContents.sent).toEqual([]);
    expect(closed.webContents.sent).toEqual([]);
    disconnect();
    events.emit('workspace.changed', payload);
    expect(first.webContents.sent).toHaveLength(1);
  });
});
