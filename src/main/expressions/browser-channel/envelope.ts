/*
 * The channel between the expression host page (a hidden, sandboxed renderer without preload,
 * so without IPC) and the main process: same-origin HTTP on the page's own origin. The page
 * long-polls `GET /channel/<id>/next` for what main wants delivered to the worker and sends
 * what the worker says with `POST /channel/<id>/post`, one message per request, in order. What
 * main sends while a POST is being answered comes back in that POST's answer (a JSON array of
 * `ServerToPage`): a reply and the next request then share one round trip.
 *
 * Runtime-neutral (no DOM, no Node): shared by the page (`browser-host/page.ts`) and the
 * server side (`channel-broker.ts`). Only the envelope is defined here; the messages inside
 * are `protocol.ts`'s, and the runtime validates them.
 */

/** URL paths on the host origin. */
export const CHANNEL_PREFIX = '/channel/';
export const PAGE_PREFIX = '/expression-host/';
export const PYODIDE_PREFIX = '/pyodide/';
/** The page, as built by electron.vite.config.ts (`out/renderer/expression-host/index.html`). */
export const PAGE_FILE = 'index.html';
/** Query parameter of the page URL that names its channel. */
export const CHANNEL_QUERY = 'channel';

/** A long poll that found nothing answers 204 after this long; the page polls again. */
export const POLL_TIMEOUT_MS = 25_000;

/** Main → page (the body of a 200 answer to `next`). */
export type ServerToPage =
  /** Deliver a `HostToWorker` message to the worker. */
  | { readonly kind: 'message'; readonly message: unknown }
  /** Stop the running evaluation (the page writes 2 = SIGINT to the interrupt buffer). */
  | { readonly kind: 'interrupt' };

/** Page → main (the body of a `post`). */
export type PageToServer =
  /** The page is up; `interruptible` when it shares an interrupt buffer with the worker. */
  | { readonly kind: 'hello'; readonly interruptible: boolean }
  /** A message the worker posted (a `WorkerToHost`, unvalidated). */
  | { readonly kind: 'message'; readonly message: unknown }
  /** The worker died or could not start (an uncaught error, a failed module load). */
  | { readonly kind: 'failed'; readonly reason: string };

/** First message from the page to its worker (everything after it is a `HostToWorker`). */
export interface WorkerStart {
  readonly kind: 'start';
  /** Absolute URL of the folder holding pyodide.mjs, pyodide.asm.wasm, python_stdlib.zip… */
  readonly pyodideUrl: string;
  /** One byte on a SharedArrayBuffer (crossOriginIsolated pages only): Pyodide's interrupt buffer. */
  readonly interruptBuffer: Uint8Array | null;
}
