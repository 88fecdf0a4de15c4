import { type App, type Event, type Session, type Shell, type WebContents } from 'electron';

/*
 * The Electron security checklist, applied to every web contents the app ever creates:
 * navigation only to the app's own page, no new windows (http(s) links go to the system
 * browser), no <webview>, and no permission of any kind.
 */

export interface SecurityOptions {
  /** True for the app's own page (see app-url.ts). */
  readonly isAppUrl: (url: string) => boolean;
  /** `shell.openExternal`; only ever called with a URL that passed `isSafeExternalUrl`. */
  readonly openExternal: Shell['openExternal'];
}

/** Only web links leave the app: no file:, javascript:, custom protocol handlers, smb:, … */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

export function hardenWebContents(contents: WebContents, options: SecurityOptions): void {
  const stayHome = (event: Event<{ url: string }>): void => {
    if (!options.isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-redirect', stayHome);

  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      options.openExternal(url).catch(() => {
        // No browser, or the user cancelled: nothing the app can do about it.
      });
    }
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/** Registers the web-contents guard for every window, frame and guest created from now on. */
export function hardenApp(app: App, options: SecurityOptions): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options));
}

/** No camera, microphone, notifications, geolocation, clipboard, HID, serial, USB, … */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
