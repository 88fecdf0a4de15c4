import { type Session } from 'electron';

/*
 * The renderer's Content Security Policy. The built app gets the strict policy; the same
 * policy sits in src/renderer/index.html as a <meta> tag, because response headers are not a
 * dependable channel for file:// pages. Under `electron-vite dev` only, Vite and React Fast
 * Refresh need inline <script>/<style> and a websocket to the dev server, so the dev policy
 * allows exactly that for the loopback dev server; it is never used in a production build.
 */

const STRICT: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

function serialize(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy of the built app. */
export function contentSecurityPolicy(): string {
  return serialize(STRICT);
}

/** `electron-vite dev` only: Vite's injected <style>/<script> (React Fast Refresh) and HMR socket. */
export function developmentContentSecurityPolicy(devServerUrl: string): string {
  const host = new URL(devServerUrl).host;
  return serialize({
    ...STRICT,
    'script-src': [...(STRICT['script-src'] ?? []), "'unsafe-inline'"],
    'style-src': [...(STRICT['style-src'] ?? []), "'unsafe-inline'"],
    'connect-src': [...(STRICT['connect-src'] ?? []), `ws://${host}`],
  });
}

/** Adds the policy to every response of the app's own pages (replacing any the server sent). */
export function installContentSecurityPolicy(
  session: Session,
  isAppUrl: (url: string) => boolean,
  policy: string,
): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [policy];
    callback({ responseHeaders });
  });
}
