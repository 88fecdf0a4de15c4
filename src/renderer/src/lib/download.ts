/**
 * Saves `text` as a file through the browser's download: a Blob, an object URL and a
 * temporary `<a download>`. The URL is revoked once the click has been handled.
 */
export function downloadText(text: string, fileName: string, type = 'application/yaml'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has taken the Blob by the next task; revoking earlier can cancel it.
    window.setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/** Whether this window may write to the clipboard (secure contexts only). */
export function canCopy(): boolean {
  return typeof navigator.clipboard?.writeText === 'function';
}
