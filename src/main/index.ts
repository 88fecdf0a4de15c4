/// <reference types="electron-vite/node" />
import { dirname, join } from 'node:path';
import { app, dialog, session, shell } from 'electron';
import { defaultWorkspacePath } from './paths';
import {
  createAppUrlCheck,
  parseDevServerUrl,
  rendererUrl,
  type RendererSource,
} from './app/app-url';
import {
  contentSecurityPolicy,
  developmentContentSecurityPolicy,
  installContentSecurityPolicy,
} from './app/csp';
import { connectIpc } from './app/ipc';
import { developerMenuItems, installMenu } from './app/menu';
import { resolveNativeBinding } from './app/native-binding';
import { denyAllPermissions, hardenApp, isSafeExternalUrl } from './app/security';
import { createExpressionWindowFactory, registerExpressionScheme } from './app/expression-window';
import { createMainWindow, focusWindow } from './app/window';
import { openAppWorkspace } from './app/workspace';
import { WASM_MAX_PAGES } from './expressions/node-host/factory';
import { PyodideExpressionRuntime } from './expressions/runtime';
import { type Workspace } from './workspace';

/*
 * The Electron entry. Everything Flowbench does lives in plain-Node modules (store, engine,
 * transports); this file only wires them to a hardened window. See src/main/app/.
 */

// `import.meta.env.DEV` is `false` in `electron-vite build`, which then drops every
// development-only branch below (DevTools, the dev server, the relaxed dev CSP).
const devServerUrl =
  import.meta.env.DEV && !app.isPackaged
    ? parseDevServerUrl(process.env.ELECTRON_RENDERER_URL)
    : null;
const source: RendererSource = {
  rendererFile: join(__dirname, '../renderer/index.html'),
  devServerUrl,
};
const preloadFile = join(__dirname, '../preload/index.cjs');
const isAppUrl = createAppUrlCheck(source);
const openExternal = (url: string): void => {
  if (isSafeExternalUrl(url)) void shell.openExternal(url).catch(() => undefined);
};

let mainWindow: ReturnType<typeof createMainWindow> | null = null;
let workspace: Workspace | null = null;
let disconnectIpc: (() => void) | null = null;
let expressionHosts: ReturnType<typeof createExpressionWindowFactory> | null = null;
let expressions: PyodideExpressionRuntime | null = null;

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    focusWindow(mainWindow);
    return;
  }
  mainWindow = createMainWindow({
    preloadFile,
    url: rendererUrl(source),
    devTools: import.meta.env.DEV,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
    // The hidden expression window would keep 'window-all-closed' from ever firing.
    if (process.platform !== 'darwin') app.quit();
  });
}

function start(): void {
  denyAllPermissions(session.defaultSession);
  const policy =
    import.meta.env.DEV && devServerUrl
      ? developmentContentSecurityPolicy(devServerUrl)
      : contentSecurityPolicy();
  installContentSecurityPolicy(session.defaultSession, isAppUrl, policy);
  installMenu({
    isMac: process.platform === 'darwin',
    developerItems: import.meta.env.DEV ? developerMenuItems() : [],
    openExternal,
  });

  // Expression policies run in a hidden, sandboxed renderer (no preload, no Node, deny-all
  // permissions, CSP without network): see app/expression-window.ts.
  expressionHosts = createExpressionWindowFactory({
    pageDir: join(__dirname, '../renderer/expression-host'),
    pyodideDir: dirname(require.resolve('pyodide/package.json')),
  });
  expressions = new PyodideExpressionRuntime({ factory: expressionHosts });
  const path = defaultWorkspacePath();
  workspace = openAppWorkspace({
    path,
    expressions,
    nativeBinding: () =>
      resolveNativeBinding({
        appPath: app.getAppPath(),
        versions: process.versions,
        platform: process.platform,
        arch: process.arch,
      }),
  });
  if (!workspace) {
    app.exit(1);
    return;
  }
  disconnectIpc = connectIpc({
    handlers: workspace.handlers,
    events: workspace.events,
    source,
    isAppUrl,
  });
  showMainWindow();
  app.on('activate', showMainWindow);
  // Python loads after the window is up, off the start-up path (≈2 s in the background).
  setTimeout(() => void expressions?.warmUp(), 1500);
}

function shutDown(): void {
  disconnectIpc?.();
  disconnectIpc = null;
  expressions?.close();
  expressions = null;
  expressionHosts?.dispose();
  expressionHosts = null;
  const closing = workspace;
  workspace = null;
  try {
    closing?.close();
  } catch (error) {
    console.error('Flowbench could not close the workspace cleanly:', error);
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Flowbench owns the workspace; it has been asked to come to the front.
  app.quit();
} else {
  app.enableSandbox();
  // Custom schemes must be registered before the app is ready.
  registerExpressionScheme();
  // Cap wasm memory in renderers (only the hidden expression window uses wasm): a memory bomb
  // in an expression ends in Python's MemoryError, not in gigabytes taken from the machine.
  app.commandLine.appendSwitch('js-flags', `--wasm-max-mem-pages=${WASM_MAX_PAGES}`);
  hardenApp(app, { isAppUrl, openExternal: (url) => shell.openExternal(url) });
  app.on('second-instance', () => {
    if (workspace) showMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', shutDown);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Flowbench failed to start:', error);
      dialog.showErrorBox(
        'Flowbench failed to start',
        error instanceof Error ? error.message : String(error),
      );
      shutDown();
      app.exit(1);
    });
}
