import type * as Pyodide from 'pyodide';
import { type WorkerStart } from '../browser-channel/envelope';
import { type ExpressionWorker, startExpressionWorker } from '../worker/core';

/*
 * The module worker of the expression host page: the shared worker core (`worker/core.ts`)
 * with the browser's ways of loading Pyodide and posting messages. The page sends one
 * `WorkerStart` first (where Pyodide is, the interrupt buffer); everything after it goes to
 * the core as is. The worker's own CSP (sent with this script by the channel broker) allows
 * WebAssembly compilation and same-origin fetches, and nothing else.
 */

/** The few members of DedicatedWorkerGlobalScope used here (this file compiles with the DOM lib). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = self as unknown as WorkerScope;

let core: ExpressionWorker | null = null;

function isStart(data: unknown): data is WorkerStart {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'start';
}

scope.onmessage = (event) => {
  if (core) {
    core.receive(event.data);
    return;
  }
  if (!isStart(event.data)) return;
  const { pyodideUrl, interruptBuffer } = event.data;
  core = startExpressionWorker({
    loadPyodide: async () => {
      const module = (await import(
        /* @vite-ignore */ `${pyodideUrl}pyodide.mjs`
      )) as typeof Pyodide;
      return module.loadPyodide({
        indexURL: pyodideUrl,
        // `import js` must reach an empty object, never this worker's global scope.
        jsglobals: {},
        stdout: () => undefined,
        stderr: () => undefined,
      });
    },
    post: (message) => scope.postMessage(message),
    ...(interruptBuffer ? { interruptBuffer } : {}),
    now: () => performance.now(),
  });
};
