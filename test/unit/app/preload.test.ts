import { beforeAll, describe, expect, it, vi } from 'vitest';
import { contract, eventNames, procedureNames, type PreloadApi } from '@shared/contract';

const electron = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const exposed = new Map<string, unknown>();
  const ipcRenderer = {
    invoke: vi.fn((channel: string, input: unknown) =>
      Promise.resolve({ ok: true, value: { channel, input } }),
    ),
    on: vi.fn((channel: string, listener: Listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
    }),
    /** What main's `webContents.send` would do. */
    emit(channel: string, payload: unknown) {
      const event = { sender: ipcRenderer, senderId: 0, ports: [] };
      for (const listener of listeners.get(channel) ?? []) listener(event, payload);
    },
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, value: unknown) => exposed.set(key, value)),
  };
  return { ipcRenderer, contextBridge, exposed };
});
vi.mock('electron', () => ({
  ipcRenderer: electron.ipcRenderer,
  contextBridge: electron.contextBridge,
}));

let api: PreloadApi;

beforeAll(async () => {
  await import('../../../src/preload/index');
  api = electron.exposed.get('api') as PreloadApi;
});

describe('preload bridge', () => {
  it('exposes exactly one thing, `api`, with `procedures` and `on` and nothing else', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect([...electron.exposed.keys()]).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual(['on', 'procedures']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.procedures)).toBe(true);
  });

  it('has one function per procedure of the contract', () => {
    expect(Object.keys(api.procedures).sort()).toEqual([...procedureNames].sort());
    expect(Object.keys(api.procedures).sort()).toEqual(Object.keys(contract).sort());
    for (const fn of Object.values(api.procedures)) expect(typeof fn).toBe('function');
  });

  it('never exposes ipcRenderer', () => {
    const reachable = JSON.stringify(api, (_key, value: unknown) =>
      typeof value === 'function' ? `fn:${value.name}` : value,
    );
    expect(reachable).not.toMatch(/invoke|ipcRenderer|send/);
    for (const value of [api, api.procedures, ...Object.values(api.procedures)]) {
      expect(value).not.toBe(electron.ipcRenderer);
    }
  });

  it('invokes rpc:<name> with the input and returns main’s envelope', async () => {
    await expect(api.procedures['flows.list'](undefined)).resolves.toEqual({
      ok: true,
      value: { channel: 'rpc:flows.list', input: undefined },
    });
    await api.procedures['users.get']({ pk: 1 });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('rpc:users.get', { pk: 1 });
  });

  it('delivers event payloads without the IpcRendererEvent', () => {
    const listener = vi.fn();
    const off = api.on('workspace.changed', listener);
    electron.ipcRenderer.emit('event:workspace.changed', {
      entity: 'flow',
      action: 'created',
      pk: 'x',
    });
    expect(listener).toHaveBeenCalledOnce();
    expect(listener.mock.calls[0]).toEqual([{ entity: 'flow', action: 'created', pk: 'x' }]);
    off();
    expect(electron.ipcRenderer.count('event:workspace.changed')).toBe(0);
    electron.ipcRenderer.emit('event:workspace.changed', {});
    expect(listener).toHaveBeenCalledOnce();
  });

  it('refuses unknown event names and non-function listeners', () => {
    const on = api.on as (name: string, listener: unknown) => () => void;
    for (const name of [
      'rpc:flows.list',
      'flows.list',
      'event:workspace.changed',
      '__proto__',
      'constructor',
      '',
    ]) {
      expect(() => on(name, () => undefined), name).toThrow(/Unknown event/);
    }
    expect(() => on('workspace.changed', 'not a function')).toThrow(TypeError);
    expect(electron.ipcRenderer.on).not.toHaveBeenCalledWith('event:flows.list', expect.anything());
    expect(eventNames).toContain('workspace.changed');
  });
});
