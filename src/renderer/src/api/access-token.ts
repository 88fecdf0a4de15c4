const STORAGE_KEY = 'flowbench.token';

function safeStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the token then lives only as long as this page
  }
}

/**
 * The per-launch token `flowbench serve` prints as `…/#token=TOKEN`. Read it from the
 * fragment once, keep it for this tab in sessionStorage, and take it out of the visible URL
 * so it does not end up in screenshots, bookmarks or a shared link.
 */
export function takeAccessToken(): string | null {
  const storage = safeStorage();
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    storage?.setItem(STORAGE_KEY, fromHash);
    params.delete('token');
    const rest = params.toString();
    const { pathname, search } = window.location;
    window.history.replaceState(
      window.history.state,
      '',
      `${pathname}${search}${rest ? `#${rest}` : ''}`,
    );
    return fromHash;
  }
  return storage?.getItem(STORAGE_KEY) ?? null;
}
