import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  readonly isMac: boolean;
  /** `developerMenuItems()` in development builds; empty (and tree-shaken away) in production. */
  readonly developerItems: readonly MenuItemConstructorOptions[];
  /** Opens a web page in the system browser (validated by the caller). */
  readonly openExternal: (url: string) => void;
}

export const DOCS_URL = 'https://docs.goauthentik.io/docs/add-secure-apps/flows-stages/flow/';

/** Reload and DevTools, for development builds only. */
export function developerMenuItems(): MenuItemConstructorOptions[] {
  return [
    { role: 'reload' },
    { role: 'forceReload' },
    { role: 'toggleDevTools' },
    { type: 'separator' },
  ];
}

/** App (macOS) · File · Edit · View · Window · Help, all from Electron's standard roles. */
export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  return [
    ...(options.isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    { label: 'File', submenu: [options.isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...options.developerItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'authentik Flows Documentation', click: () => options.openExternal(DOCS_URL) },
      ],
    },
  ];
}

export function installMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
