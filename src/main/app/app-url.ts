import { pathToFileURL } from 'node:url';

/** Where the renderer comes from: the built file, or (dev only) the electron-vite server. */
export interface RendererSource {
  /** Absolute path of out/renderer/index.html. */
  readonly rendererFile: string;
  /** `ELECTRON_RENDERER_URL` when running `electron-vite dev`; null otherwise. */
  readonly devServerUrl: string | null;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server URL, if it is one we are willing to load with the preload attached: plain
 * http on a loopback host. Anything else is ignored, so a stray environment variable cannot
 * point the app (and its IPC) at a remote page.
 */
export function parseDevServerUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** The URL the main window loads. */
export function rendererUrl(source: RendererSource): string {
  return source.devServerUrl ?? pathToFileURL(source.rendererFile).href;
}

/**
 * `true` for the app's own page and nothing else: the exact renderer file (any query or
 * hash), or in dev any URL on the dev server's origin. Used for navigation, CSP and IPC.
 */
export function createAppUrlCheck(source: RendererSource): (url: string) => boolean {
  if (source.devServerUrl) {
    const origin = new URL(source.devServerUrl).origin;
    return (url) => parse(url)?.origin === origin;
  }
  const fileUrl = pathToFileURL(source.rendererFile).href;
  return (url) => {
    const parsed = parse(url);
    if (!parsed || parsed.protocol !== 'file:' || parsed.host !== '') return false;
    parsed.hash = '';
    parsed.search = '';
    return parsed.href === fileUrl;
  };
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
