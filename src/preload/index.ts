import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannel, rpcChannel, type PreloadApi } from '@shared/contract/ipc-channels';
import { eventNameList, procedureNameList } from '@shared/contract/procedure-names';
import { type EventName } from '@shared/contract/events';
import { type ProcedureName } from '@shared/contract/procedures';

/*
 * The whole bridge between the sandboxed renderer and main: one function per procedure of
 * the contract, and `on` for the known events. `ipcRenderer` itself never crosses over, and
 * neither does an IpcRendererEvent (its `sender` would hand the page `ipcRenderer`'s methods).
 *
 * A sandboxed preload can `require` only Electron's own modules, so this file imports the
 * names from a zod-free list (test/contract/electron-bundle.test.ts checks the bundle).
 */

const knownEvents: ReadonlySet<string> = new Set(eventNameList);

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && knownEvents.has(name);
}

function invoker(name: ProcedureName): (input: unknown) => Promise<unknown> {
  const channel = rpcChannel(name);
  return (input) => ipcRenderer.invoke(channel, input);
}

function createPreloadApi(): PreloadApi {
  const procedures = Object.fromEntries(
    procedureNameList.map((name) => [name, invoker(name)]),
  ) as Record<ProcedureName, (input: unknown) => Promise<unknown>>;
  return Object.freeze({
    procedures: Object.freeze(procedures),
    on(name: EventName, listener: (payload: unknown) => void): () => void {
      if (!isEventName(name)) throw new TypeError(`Unknown event "${String(name).slice(0, 100)}".`);
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
      const channel = eventChannel(name);
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    },
  });
}

contextBridge.exposeInMainWorld('api', createPreloadApi());
