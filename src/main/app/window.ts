import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  /** Absolute path of out/preload/index.cjs. */
  readonly preloadFile: string;
  /** What to load: the renderer file URL, or the dev server in `electron-vite dev`. */
  readonly url: string;
  /** Development build: DevTools are available. Never true in a production build. */
  readonly devTools: boolean;
}

/**
 * The one application window. Every web preference that matters for security is spelled
 * out (test/contract/electron-bundle.test.ts reads them back from the built bundle), even
 * where it equals Electron's default, so a changed default cannot weaken the app.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 800,
    minHeight: 520,
    show: false,
    title: 'Flowbench',
    webPreferences: {
      preload: options.preloadFile,
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
      devTools: options.devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(options.url).catch((error: unknown) => {
    console.error(`Flowbench could not load ${options.url}:`, error);
  });
  return window;
}

/** Brings a window to the front, e.g. when a second instance of the app is started. */
export function focusWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
