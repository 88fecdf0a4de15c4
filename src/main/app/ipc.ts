import { BrowserWindow, ipcMain } from 'electron';
import { type Handlers } from '../api/handler-types';
import { type EventBus } from '../events/event-bus';
import {
  createDispatcher,
  createTrustedSenderCheck,
  forwardEvents,
  registerIpc,
} from '../transport';
import { type RendererSource } from './app-url';

export interface IpcBridgeOptions {
  readonly handlers: Handlers;
  readonly events: EventBus;
  readonly source: RendererSource;
  /** The app's own page (app-url.ts): events go only to windows still showing it. */
  readonly isAppUrl: (url: string) => boolean;
}

/**
 * The contract over IPC: one `ipcMain.handle` per procedure, answered only for frames of the
 * app's own renderer, and every workspace event sent to every app window. Returns a function
 * that undoes both.
 */
export function connectIpc(options: IpcBridgeOptions): () => void {
  const dispatcher = createDispatcher(options.handlers);
  const isTrustedSender = createTrustedSenderCheck({
    rendererFile: options.source.rendererFile,
    ...(options.source.devServerUrl ? { devServerUrl: options.source.devServerUrl } : {}),
  });
  const stopHandling = registerIpc({ ipcMain, dispatcher, isTrustedSender });
  const stopForwarding = forwardEvents(options.events, (channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (window.isDestroyed() || !options.isAppUrl(window.webContents.getURL())) continue;
      window.webContents.send(channel, payload);
    }
  });
  return () => {
    stopForwarding();
    stopHandling();
  };
}
