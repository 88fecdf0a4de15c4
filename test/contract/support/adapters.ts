import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventChannel, isProcedureName, rpcChannel, type Envelope, type EventName, type EventPayload, type Transport } from '@shared/contract';
import { createHttpTransport, type ConnectionState } from '@shared/contract/http-transport';
import { createDispatcher, type Dispatcher } from '../../../src/main/transport/dispatcher';
import { startHttpServer, type HttpServerHandle } from '../../../src/main/transport/http-server';
import { createInProcessTransport } from '../../../src/main/transport/in-process';
import { createTrustedSenderCheck, forwardEvents, registerIpc, type IpcMainEventLike, type IpcMainLike } from '../../../src/main/transport/ipc';
import { type Logger } from '../../../src/main/transport/logger';
import { type TestWorkspace } from './workspace';

/** One adapter under test, started over a workspace. */
export interface Harness {
  readonly transport: Transport;
  /** Resolves once subscriptions made so far are live (the SSE stream is open, …). */
  eventsReady(): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterFactory {
  readonly name: string;
  start(workspace: TestWorkspace, logger: Logger): Promise<Harness>;
}

/** Swallows the dispatcher's logs (tests that care pass their own). */
export const quietLogger: Logger = { error: () => undefined, warn: () => undefined };

export const inProcessAdapter: AdapterFactory = {
  name: 'in-process',
  async start(workspace, logger) {
    const transport = createInProcessTransport(createDispatcher(workspace.handlers, { logger }), workspace.events);
    return { transport, eventsReady: async () => undefined, close: async () => undefined };
  },
};

export interface HttpHarness extends Harness {
  readonly server: HttpServerHandle;
  readonly connection: () => ConnectionState;
}

export async function startHttpHarness(workspace: TestWorkspace, logger: Logger, staticDir?: string): Promise<HttpHarness> {
  const server = await startHttpServer({ dispatcher: createDispatcher(workspace.handlers, { logger }), events: workspace.events, logger, staticDir });
  const waiters = new Set<() => void>();
  const transport = createHttpTransport({
    baseUrl: server.url,
    token: server.token,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    onConnectionChange: (state) => {
      if (state !== 'open') return;
      for (const wake of waiters) wake();
      waiters.clear();
    },
  });
  return {
    transport,
    server,
    connection: () => transport.connection,
    eventsReady: () =>
      transport.connection === 'open' ? Promise.resolve() : new Promise<void>((done) => waiters.add(done)),
    async close() {
      transport.close();
      await server.close();
    },
  };
}

export const httpAdapter: AdapterFactory = { name: 'http', start: startHttpHarness };

/**
 * An in-memory `ipcMain` plus the renderer side of IPC: `invoke(channel, senderUrl, ...args)`
 * structured-clones arguments and results the way Electron does.
 */
export class FakeIpc implements IpcMainLike {
  private readonly handlers = new Map<string, (event: IpcMainEventLike, ...args: unknown[]) => unknown>();
  private readonly rendererListeners = new Map<string, Set<(payload: unknown) => void>>();

  handle(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  get channelCount(): number {
    return this.handlers.size;
  }

  /** `ipcRenderer.invoke` from a frame at `senderUrl` (null: no frame). */
  async invoke(channel: string, senderUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event: IpcMainEventLike = { senderFrame: senderUrl === null ? null : { url: senderUrl } };
    return structuredClone(await handler(event, ...structuredClone(args)));
  }

  /** `webContents.send`: main → renderer. */
  send(channel: string, payload: unknown): void {
    for (const listener of this.rendererListeners.get(channel) ?? []) listener(structuredClone(payload));
  }

  /** `ipcRenderer.on` in the preload. */
  on(channel: string, listener: (payload: unknown) => void): () => void {
    const set = this.rendererListeners.get(channel) ?? new Set();
    set.add(listener);
    this.rendererListeners.set(channel, set);
    return () => set.delete(listener);
  }
}

export const RENDERER_FILE = resolve('/opt/Flowbench/out/renderer/index.html');
export const TRUSTED_URL = `${pathToFileURL(RENDERER_FILE).href}#/flows`;

export interface IpcHarness extends Harness {
  readonly ipc: FakeIpc;
  readonly dispatcher: Dispatcher;
}

export async function startIpcHarness(workspace: TestWorkspace, logger: Logger, dispatcher?: Dispatcher): Promise<IpcHarness> {
  const ipc = new FakeIpc();
  const d = dispatcher ?? createDispatcher(workspace.handlers, { logger });
  const disposeIpc = registerIpc({ ipcMain: ipc, dispatcher: d, isTrustedSender: createTrustedSenderCheck({ rendererFile: RENDERER_FILE }), logger });
  const disposeEvents = forwardEvents(workspace.events, (channel, payload) => ipc.send(channel, payload));
  // What the preload and the renderer's IPC client do with `window.api`: the preload has one
  // function per procedure, so a name outside the contract never reaches ipcMain.
  const transport: Transport = {
    call: async (name, input) => {
      if (!isProcedureName(name)) return { ok: false, error: { code: 'UNKNOWN_PROCEDURE', message: `Unknown procedure "${String(name)}".` } };
      try {
        return (await ipc.invoke(rpcChannel(name), TRUSTED_URL, input)) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'The IPC call failed.' } };
      }
    },
    subscribe: <N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void) =>
      ipc.on(eventChannel(name), (payload) => listener(payload as EventPayload<N>)),
  };
  return {
    transport,
    ipc,
    dispatcher: d,
    eventsReady: async () => undefined,
    async close() {
      disposeEvents();
      disposeIpc();
    },
  };
}

export const ipcAdapter: AdapterFactory = { name: 'ipc', start: startIpcHarness };

export const adapters: readonly AdapterFactory[] = [inProcessAdapter, httpAdapter, ipcAdapter];
