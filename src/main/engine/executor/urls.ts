/**
 * URL helpers with the semantics of the Python functions authentik uses (`urllib.parse`,
 * `authentik.lib.utils.urls`), and the routes the executor redirects to.
 */

/** `reverse("authentik_core:root-redirect")`. */
export const ROOT_REDIRECT_URL = '/';
/** The route name authentik uses as the default `next` (resolved to `ROOT_REDIRECT_URL`). */
export const ROOT_REDIRECT_ROUTE = 'authentik_core:root-redirect';
/** `reverse("authentik_flows:cancel")`. */
export const FLOW_CANCEL_URL = '/flows/-/cancel/';

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

/** Python `urlsplit(url).netloc` (3.11+: leading C0/space stripped, tab/CR/LF removed). */
export function urlNetloc(url: string): string {
  // eslint-disable-next-line no-control-regex
  let rest = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\r\n]/g, '');
  const colon = rest.indexOf(':');
  if (colon > 0 && /^[A-Za-z]$/.test(rest[0] ?? '') && SCHEME_CHARS.test(rest.slice(0, colon))) rest = rest.slice(colon + 1);
  if (!rest.startsWith('//')) return '';
  const tail = rest.slice(2);
  const end = tail.search(/[/?#]/);
  return end === -1 ? tail : tail.slice(0, end);
}

/** authentik `is_url_absolute`: the URL names a host (`bool(urlparse(url).netloc)`). */
export function isUrlAbsolute(url: string): boolean {
  return urlNetloc(url) !== '';
}

/** Python `quote_plus` of one value (UTF-8, `_.-~` and alphanumerics kept, space as `+`). */
export function quotePlus(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Python `urlencode(query.items())`. */
export function urlencode(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`)
    .join('&');
}

/** `reverse_with_qs("authentik_core:if-flow", query, flow_slug=slug)`: the flow interface URL. */
export function flowInterfaceUrl(slug: string, query: Readonly<Record<string, string>> = {}): string {
  const qs = urlencode(query);
  return `/if/flow/${slug}/${qs ? `?${qs}` : ''}`;
}

/** The inverse of `flowInterfaceUrl`, for clients following an `xak-flow-redirect`. */
export function parseFlowInterfaceUrl(url: string): { flow_slug: string; query: Record<string, string> } | null {
  const match = /^\/if\/flow\/([-a-zA-Z0-9_]+)\/(?:\?([^#]*))?(?:#.*)?$/.exec(url);
  if (!match) return null;
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(match[2] ?? '')) query[key] = value;
  return { flow_slug: match[1] ?? '', query };
}

/** Django `redirect(to)` for what the executor passes it: the root route name resolves, anything else is used as is. */
export function resolveRedirect(to: string): string {
  return to === ROOT_REDIRECT_ROUTE ? ROOT_REDIRECT_URL : to;
}
