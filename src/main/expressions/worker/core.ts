import type { PyodideAPI } from 'pyodide';
import { hostToWorkerSchema, PROTOCOL_VERSION, type HostToWorker, type WorkerOutcome, type WorkerToHost } from '../protocol';
import { PRELUDE_SOURCE } from './prelude-source';

/**
 * The worker: the code both hosts run next to Pyodide (a Node child process, a Web Worker).
 * It loads the interpreter, runs the prelude, locks the Python side down, then answers `eval`
 * messages one at a time. No Node, DOM or Electron API is used here: each host hands in how to
 * load Pyodide and how to post a message.
 */

export interface WorkerPorts {
  /**
   * Load Pyodide. Hosts pass `jsglobals: {}` (so `import js` reaches an empty object, not the
   * host's global scope) and drop the interpreter's own stdout/stderr.
   */
  loadPyodide(): Promise<PyodideAPI>;
  post(message: WorkerToHost): void;
  /** A SharedArrayBuffer-backed buffer the parent side sets to 2 to interrupt (browser host). */
  interruptBuffer?: Uint8Array | Int32Array;
  now(): number;
}

export interface ExpressionWorker {
  /** Hand in one raw message from the parent side. */
  receive(raw: unknown): void;
}

type Evaluate = (source: string, filename: string, vars: string, answers: string, limits: string) => string;

interface PythonReply {
  need?: Extract<WorkerToHost, { type: 'need' }>['calls'];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startExpressionWorker(ports: WorkerPorts): ExpressionWorker {
  let evaluate: Evaluate | null = null;
  let pyodide: PyodideAPI | null = null;
  let dead = false;
  const pending: HostToWorker[] = [];

  const run = (message: HostToWorker): void => {
    if (dead || !evaluate || !pyodide) return;
    // The page clears the interrupt flag before it forwards an eval (it owns the flag's timing).
    let text: string;
    try {
      text = evaluate(message.source, message.filename, message.vars, JSON.stringify(message.answers), JSON.stringify(message.limits));
    } catch (error) {
      // `_fb_evaluate` catches every Python exception itself: reaching here means the
      // interpreter failed (a wasm trap, stack exhaustion) and cannot be trusted again.
      dead = true;
      ports.post({ type: 'fatal', id: message.id, message: messageOf(error).slice(0, 2000) });
      return;
    }
    const reply = JSON.parse(text) as PythonReply & Omit<WorkerOutcome, 'heapBytes'>;
    if (reply.need) {
      ports.post({ type: 'need', id: message.id, calls: reply.need });
      return;
    }
    const heapBytes = (pyodide as unknown as { _module?: { HEAP8?: { length: number } } })._module?.HEAP8?.length ?? 0;
    ports.post({ type: 'done', id: message.id, outcome: { ...reply, heapBytes } });
  };

  const started = ports.now();
  void (async () => {
    try {
      const py = await ports.loadPyodide();
      py.setStdout({ batched: () => undefined });
      py.setStderr({ batched: () => undefined });
      if (ports.interruptBuffer) py.setInterruptBuffer(ports.interruptBuffer);
      const scope = py.toPy({}) as { get(name: string): unknown };
      py.runPython(PRELUDE_SOURCE, { globals: scope as never, filename: '<flowbench-prelude>' });
      evaluate = scope.get('_fb_evaluate') as Evaluate;
      // The JS bridge modules go before the Python lockdown removes what imported them.
      for (const name of ['js', 'pyodide_js']) {
        try {
          py.unregisterJsModule(name);
        } catch {
          // Not registered in this build: nothing to remove.
        }
      }
      (scope.get('_fb_lockdown') as () => void)();
      const version = py.runPython('import sys\nsys.version.split()[0]', { globals: scope as never }) as string;
      pyodide = py;
      ports.post({ type: 'ready', protocol: PROTOCOL_VERSION, python: version, pyodide: py.version, loadMs: ports.now() - started });
      for (const message of pending.splice(0)) run(message);
    } catch (error) {
      dead = true;
      ports.post({ type: 'load-failed', message: messageOf(error).slice(0, 2000) });
    }
  })();

  return {
    receive(raw) {
      const parsed = hostToWorkerSchema.safeParse(raw);
      if (!parsed.success) {
        // A parent from another build (or a bug): fail that evaluation at once, not at its deadline.
        const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : null;
        ports.post({ type: 'fatal', id, message: `invalid message from the parent: ${parsed.error.issues[0]?.message ?? 'unknown'}` });
        return;
      }
      if (!evaluate) pending.push(parsed.data);
      else run(parsed.data);
    },
  };
}
