import { BrowserWindow, protocol, session, type CustomScheme, type Session } from 'electron';
import {
  ChannelBroker,
  channelHostFactory,
  type PageLauncher,
} from '../expressions/browser-channel/channel-broker';
import { type ExpressionHostFactory } from '../expressions/host';
import { denyAllPermissions } from './security';

/*
 * The desktop app's expression host: a hidden, sandboxed renderer without preload that runs
 * Pyodide in a Web Worker (src/main/expressions/browser-host/). Without a preload it has no IPC,
 * so everything it loads and says goes through a privileged custom scheme answered by the
 * channel broker, on a dedicated in-memory session that may reach nothing else.
 */

export const EXPRESSION_SCHEME = 'flowbench-expr';
const ORIGIN = `${EXPRESSION_SCHEME}://host`;
/** No `persist:` prefix: the session lives in memory and shares nothing with the app's. */
export const EXPRESSION_PARTITION = 'flowbench-expressions';

/**
 * Standard and secure (a secure context: crossOriginIsolated, so SharedArrayBuffer for the
 * interrupt buffer), fetch allowed (the channel). No CSP bypass, no service workers, no CORS.
 */
export const expressionScheme: CustomScheme = {
  scheme: EXPRESSION_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    bypassCSP: false,
    allowServiceWorkers: false,
    corsEnabled: false,
    stream: false,
    codeCache: false,
  },
};

/**
 * Registers the scheme; call before the app is ready (Electron refuses afterwards). Electron
 * takes one `registerSchemesAsPrivileged` call: if the app gains another scheme, register
 * `expressionScheme` together with it instead.
 */
export function registerExpressionScheme(): void {
  protocol.registerSchemesAsPrivileged([expressionScheme]);
}

export interface ExpressionWindowOptions {
  /** The built page folder: `out/renderer/expression-host`. */
  readonly pageDir: string;
  /** The installed `pyodide` package folder. */
  readonly pyodideDir: string;
}

function isOwnUrl(url: string): boolean {
  return url === ORIGIN || url.startsWith(`${ORIGIN}/`);
}

/** The session: deny-all permissions, no request leaves the scheme, the broker answers it. */
function prepareSession(broker: ChannelBroker): Session {
  const expressions = session.fromPartition(EXPRESSION_PARTITION, { cache: false });
  denyAllPermissions(expressions);
  expressions.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isOwnUrl(details.url) }),
  );
  expressions.on('will-download', (event) => event.preventDefault());
  expressions.protocol.handle(EXPRESSION_SCHEME, (request) => broker.handle(request));
  return expressions;
}

/** A fresh hidden window (a fresh renderer process) per launch. */
function openWindow(pagePath: string, gone: (reason: string) => void): { close(): void } {
  const window = new BrowserWindow({
    show: false,
    width: 400,
    height: 300,
    skipTaskbar: true,
    focusable: false,
    paintWhenInitiallyHidden: false,
    title: 'Flowbench expression host',
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableDialogs: true,
      devTools: false,
      images: false,
      webgl: false,
      // A hidden window's timers would otherwise be throttled, delaying every relay.
      backgroundThrottling: false,
      partition: EXPRESSION_PARTITION,
    },
  });
  const contents = window.webContents;
  const stay = (event: { preventDefault(): void }) => event.preventDefault();
  contents.on('will-navigate', stay);
  contents.on('will-frame-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', stay);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('render-process-gone', (_event, details) =>
    gone(`renderer gone (${details.reason})`),
  );
  contents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
    if (isMainFrame) gone(`page failed to load (${code} ${description})`);
  });
  window.on('closed', () => gone('window closed'));

  let closed = false;
  window.loadURL(`${ORIGIN}${pagePath}`).catch(() => {
    // Reported through did-fail-load.
  });
  return {
    close: () => {
      if (closed) return;
      closed = true;
      if (window.isDestroyed()) return;
      // Kill the process first: a worker spinning in Python would otherwise outlive the window.
      contents.forcefullyCrashRenderer();
      window.destroy();
    },
  };
}

/**
 * The `electron-renderer` expression host. The session is prepared on the first launch (after
 * app ready). `dispose` kills every live host window: call it before quitting, since a hidden
 * window keeps `window-all-closed` from firing.
 */
export function createExpressionWindowFactory(
  options: ExpressionWindowOptions,
): ExpressionHostFactory & { dispose(): void } {
  const broker = new ChannelBroker(options);
  const open = new Set<{ close(): void }>();
  let prepared = false;
  const launcher: PageLauncher = {
    open(pagePath, gone) {
      if (!prepared) {
        prepareSession(broker);
        prepared = true;
      }
      const page = openWindow(pagePath, gone);
      const tracked = {
        close: () => {
          open.delete(tracked);
          page.close();
        },
      };
      open.add(tracked);
      return tracked;
    },
  };
  const factory = channelHostFactory('electron-renderer', broker, launcher);
  return {
    kind: factory.kind,
    launch: (listener) => factory.launch(listener),
    dispose: () => {
      for (const page of [...open]) page.close();
    },
  };
}
