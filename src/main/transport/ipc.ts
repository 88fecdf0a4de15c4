import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventChannel, eventNames, procedureNames, rpcChannel, type Envelope, type EventName } from '@shared/contract';
import { type EventBus } from '../events/event-bus';
import { type Dispatcher } from './dispatcher';
import { type Logger } from './logger';

/** What the adapter reads of Electron's `IpcMainInvokeEvent`. */
export interface IpcMainEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` the adapter uses; tests pass an in-memory fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface RegisterIpcOptions {
  readonly ipcMain: IpcMainLike;
  readonly dispatcher: Dispatcher;
  /** Whether a frame URL is the app's own renderer (see `createTrustedSenderCheck`). */
  readonly isTrustedSender: (url: string) => boolean;
  readonly logger?: Logger;
}

const FORBIDDEN: Envelope<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This window may not call Flowbench.' },
};

/**
 * Registers one `ipcMain.handle('rpc:<name>')` per procedure. A call from a missing or foreign
 * frame is answered `FORBIDDEN` without reaching the dispatcher (Electron security checklist
 * §17). Returns a function that removes every handler.
 */
export function registerIpc(options: RegisterIpcOptions): () => void {
  const { ipcMain, dispatcher, isTrustedSender, logger } = options;
  const channels = procedureNames.map((name) => {
    const channel = rpcChannel(name);
    ipcMain.handle(channel, async (event, ...args) => {
      const url = senderUrl(event);
      let trusted = false;
      try {
        trusted = url !== null && isTrustedSender(url);
      } catch {
        trusted = false;
      }
      if (!trusted) {
        logger?.warn?.('Refused an IPC call from an untrusted frame', { procedure: name, url: url?.slice(0, 200) ?? null });
        return FORBIDDEN;
      }
      return dispatcher.call(name, args[0], { transport: 'ipc' });
    });
    return channel;
  });
  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The sender frame's URL; `null` when there is no frame or Electron cannot read it (disposed). */
function senderUrl(event: IpcMainEventLike | null | undefined): string | null {
  try {
    const url = event?.senderFrame?.url;
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Forwards every event of the bus to `send(eventChannel(name), payload)` — in the app,
 * `webContents.send` of each window. Returns a function that stops forwarding.
 */
export function forwardEvents(events: EventBus, send: (channel: string, payload: unknown) => void): () => void {
  const unsubscribes = eventNames.map((name: EventName) =>
    events.subscribe(name, (payload) => {
      try {
        send(eventChannel(name), payload);
      } catch {
        // The window is gone; the app removes its forwarder when it closes.
      }
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  };
}

export interface TrustedSenderOptions {
  /** The electron-vite dev server (`ELECTRON_RENDERER_URL`), in development only. */
  readonly devServerUrl?: string;
  /** Absolute path of the built renderer's `index.html`. */
  readonly rendererFile: string;
}

/**
 * The app's own origin, and nothing else: `file://` URLs inside the folder of the built
 * `index.html`, or — in development — exactly the dev server's origin.
 */
export function createTrustedSenderCheck(options: TrustedSenderOptions): (url: string) => boolean {
  const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
  const fold = (p: string) => (caseInsensitive ? p.toLowerCase() : p);
  const root = fold(dirname(resolve(options.rendererFile)));
  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  let devOrigin: string | null = null;
  if (options.devServerUrl) {
    const dev = new URL(options.devServerUrl);
    if (dev.protocol !== 'http:' && dev.protocol !== 'https:') throw new Error(`Unexpected dev server URL ${options.devServerUrl}`);
    devOrigin = dev.origin;
  }
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol === 'file:') {
      if (parsed.host !== '') return false;
      let file: string;
      try {
        file = fold(resolve(fileURLToPath(parsed)));
      } catch {
        return false;
      }
      return file.startsWith(rootPrefix);
    }
    return devOrigin !== null && parsed.origin === devOrigin;
  };
}
