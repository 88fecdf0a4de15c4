import { type Client, type Transport, createClient } from '@shared/contract';
import {
  type ConnectionState as StreamState,
  createHttpTransport,
} from '@shared/contract/http-transport';
import { useConnectionStore } from '../state/connection-store';
import { takeAccessToken } from './access-token';
import { createIpcTransport } from './ipc-transport';
import { monitorTransport } from './monitored-transport';

export interface AppClient {
  readonly client: Client;
  /** `ipc` inside the desktop app, `http` in a browser talking to `flowbench serve`. */
  readonly mode: 'ipc' | 'http';
  /** Set when the browser has no token: every call would be refused, so say why up front. */
  readonly missingToken: boolean;
  /**
   * Called when the event stream comes back after a drop. Events sent meanwhile are lost, so
   * whatever is shown must be refetched.
   */
  onResync(listener: () => void): () => void;
}

/** Picks the transport for where the renderer runs: the Electron preload bridge, else HTTP. */
export function createAppClient(): AppClient {
  const report = useConnectionStore.getState().report;
  const resyncListeners = new Set<() => void>();
  const onResync = (listener: () => void) => {
    resyncListeners.add(listener);
    return () => void resyncListeners.delete(listener);
  };

  if (window.api) {
    const transport = createIpcTransport(window.api);
    return {
      client: createClient(monitorTransport(transport, report)),
      mode: 'ipc',
      missingToken: false,
      onResync,
    };
  }

  const token = takeAccessToken();
  let everOpen = false;
  let dropped = false;
  const onConnectionChange = (state: StreamState) => {
    if (state === 'open') {
      report({ status: 'online' });
      if (dropped) for (const listener of resyncListeners) listener();
      everOpen = true;
      dropped = false;
    } else if (state === 'connecting' && everOpen) {
      dropped = true;
      report({ status: 'offline', message: 'the live update stream dropped; reconnecting' });
    } else if (state === 'unauthorized') {
      report({ status: 'unauthorized', message: 'the access token was not accepted' });
    }
  };
  const transport: Transport = createHttpTransport({
    baseUrl: window.location.origin,
    token: token ?? '',
    onConnectionChange,
  });
  return {
    client: createClient(monitorTransport(transport, report)),
    mode: 'http',
    missingToken: token === null,
    onResync,
  };
}
