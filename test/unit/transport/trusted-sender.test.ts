import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { procedureNames, rpcChannel } from '@shared/contract';
import { type Dispatcher } from '../../../src/main/transport/dispatcher';
import { createTrustedSenderCheck, registerIpc, type IpcMainEventLike, type IpcMainLike } from '../../../src/main/transport/ipc';

const rendererDir = resolve('/opt/Flowbench/resources/app/out/renderer');
const rendererFile = resolve(rendererDir, 'index.html');
const fileUrl = (path: string) => pathToFileURL(path).href;

describe('createTrustedSenderCheck', () => {
  const packaged = createTrustedSenderCheck({ rendererFile });
  const dev = createTrustedSenderCheck({ rendererFile, devServerUrl: 'http://localhost:5173/' });

  it('accepts the built index.html and files beside it', () => {
    expect(packaged(fileUrl(rendererFile))).toBe(true);
    expect(packaged(`${fileUrl(rendererFile)}#/flows/1`)).toBe(true);
    expect(packaged(`${fileUrl(rendererFile)}?x=1`)).toBe(true);
    expect(packaged(fileUrl(resolve(rendererDir, 'assets/index.js')))).toBe(true);
  });

  it('refuses file URLs outside the renderer folder', () => {
    expect(packaged(fileUrl('/etc/passwd'))).toBe(false);
    expect(packaged(fileUrl(resolve(rendererDir, '../main/index.js')))).toBe(false);
    expect(packaged(`${fileUrl(rendererDir)}/../main/index.html`)).toBe(false);
    expect(packaged(`${fileUrl(rendererDir)}/%2e%2e/main/index.html`)).toBe(false);
    expect(packaged(`${fileUrl(rendererDir)}%2F..%2Fmain/index.html`)).toBe(false);
    // A sibling folder whose name merely starts with the renderer folder's name.
    expect(packaged(fileUrl(`${rendererDir}-evil/index.html`))).toBe(false);
    expect(packaged(`file://evil.example${rendererFile}`)).toBe(false);
  });

  it('accepts exactly the dev-server origin in development', () => {
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/#/flows')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
    expect(dev('http://127.0.0.1:5173/')).toBe(false);
    expect(dev('http://localhost.evil.example:5173/')).toBe(false);
    expect(packaged('http://localhost:5173/')).toBe(false);
  });

  it('refuses foreign and odd URLs', () => {
    for (const url of ['https://evil.example', 'https://evil.example/index.html', 'about:blank', 'data:text/html,hi', 'devtools://devtools', '', 'not a url', 'javascript:alert(1)']) {
      expect(dev(url)).toBe(false);
      expect(packaged(url)).toBe(false);
    }
  });
});

describe('registerIpc sender check', () => {
  function fakeIpc() {
    const handlers = new Map<string, (event: IpcMainEventLike, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, listener);
      },
      removeHandler: (channel) => handlers.delete(channel),
    };
    return { ipcMain, handlers };
  }

  it('registers one handler per procedure and removes them all on dispose', () => {
    const { ipcMain, handlers } = fakeIpc();
    const dispose = registerIpc({ ipcMain, dispatcher: { call: vi.fn() }, isTrustedSender: () => true });
    expect([...handlers.keys()].sort()).toEqual(procedureNames.map(rpcChannel).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it.each<[string, IpcMainEventLike]>([
    ['a null frame', { senderFrame: null }],
    ['a foreign frame', { senderFrame: { url: 'https://evil.example' } }],
    [
      'a disposed frame',
      {
        get senderFrame(): { url: string } {
          throw new Error('Render frame was disposed');
        },
      },
    ],
  ])('answers FORBIDDEN to %s without dispatching', async (_label, event) => {
    const { ipcMain, handlers } = fakeIpc();
    const call = vi.fn<Dispatcher['call']>();
    const warn = vi.fn();
    registerIpc({ ipcMain, dispatcher: { call }, isTrustedSender: createTrustedSenderCheck({ rendererFile }), logger: { error: vi.fn(), warn } });
    const result = await handlers.get(rpcChannel('flows.list'))?.(event, undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(call).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
  });

  it('dispatches a trusted call with the ipc context', async () => {
    const { ipcMain, handlers } = fakeIpc();
    const call = vi.fn<Dispatcher['call']>(async () => ({ ok: true, value: [] }));
    registerIpc({ ipcMain, dispatcher: { call }, isTrustedSender: createTrustedSenderCheck({ rendererFile }) });
    const result = await handlers.get(rpcChannel('flows.list'))?.({ senderFrame: { url: fileUrl(rendererFile) } }, { x: 1 });
    expect(result).toEqual({ ok: true, value: [] });
    expect(call).toHaveBeenCalledWith('flows.list', { x: 1 }, { transport: 'ipc' });
  });
});
