import {
  CHANNEL_PREFIX,
  CHANNEL_QUERY,
  PYODIDE_PREFIX,
  type PageToServer,
  type ServerToPage,
  type WorkerStart,
} from '../browser-channel/envelope';

/*
 * The expression host page: a hidden, sandboxed renderer with no preload and no UI. It starts
 * the worker that runs Pyodide and relays messages between it and the main process over the
 * same-origin channel (browser-channel/envelope.ts). It never looks inside an evaluation,
 * except to know whether one is running, so that a late interrupt cannot hit the next one.
 */

const channelId = new URLSearchParams(location.search).get(CHANNEL_QUERY) ?? '';
const channelUrl = (action: 'next' | 'post'): string =>
  new URL(`${CHANNEL_PREFIX}${encodeURIComponent(channelId)}/${action}`, location.origin).href;

/** Pyodide's interrupt buffer: shared memory needs a cross-origin isolated page. */
const interruptBuffer =
  globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function'
    ? new Uint8Array(new SharedArrayBuffer(1))
    : null;
/** Whether the worker is inside an evaluation (between an `eval` and its `need`/`done`/`fatal`). */
let evaluating = false;
let stopped = false;
/**
 * While an interrupt is pending, the byte is written again every few milliseconds: the worker
 * may clear it as it starts the evaluation the interrupt was meant for (an interrupt that came
 * right behind its `eval`), or Python may swallow one KeyboardInterrupt. Ends with the evaluation.
 */
const REASSERT_MS = 10;
let reassert: ReturnType<typeof setInterval> | null = null;

function endEvaluation(): void {
  evaluating = false;
  if (reassert !== null) clearInterval(reassert);
  reassert = null;
  if (interruptBuffer) Atomics.store(interruptBuffer, 0, 0);
}

// --- page → main: one POST at a time, so messages arrive in the order the worker sent them.
const outbox: PageToServer[] = [];
let sending = false;

async function flush(): Promise<void> {
  if (sending) return;
  sending = true;
  try {
    for (let envelope = outbox.shift(); envelope && !stopped; envelope = outbox.shift()) {
      const response = await fetch(channelUrl('post'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(envelope),
        cache: 'no-store',
      });
      // 200: main's next messages ride back on the answer (in order). 404/410: the channel is
      // gone; 4xx/5xx otherwise: main has already given up on this host.
      if (response.status === 200) {
        for (const reply of (await response.json()) as ServerToPage[]) deliver(reply);
      } else if (!response.ok) stop();
    }
  } catch {
    stop();
  } finally {
    sending = false;
  }
}

function post(envelope: PageToServer): void {
  if (stopped) return;
  outbox.push(envelope);
  void flush();
}

// --- the worker
const worker = new Worker(new URL('./worker.ts', import.meta.url), {
  type: 'module',
  name: 'flowbench-expressions',
});

function typeOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null
    ? (message as { type?: unknown }).type
    : undefined;
}

worker.onmessage = (event: MessageEvent<unknown>) => {
  const type = typeOf(event.data);
  if (type === 'need' || type === 'done' || type === 'fatal') endEvaluation();
  post({ kind: 'message', message: event.data });
};
worker.onerror = (event: ErrorEvent) => {
  event.preventDefault();
  post({ kind: 'failed', reason: `worker error: ${event.message || 'could not start'}` });
};
worker.onmessageerror = () => {
  post({ kind: 'failed', reason: 'the worker posted a message that could not be cloned' });
};
const start: WorkerStart = {
  kind: 'start',
  pyodideUrl: new URL(PYODIDE_PREFIX, location.origin).href,
  interruptBuffer,
};
worker.postMessage(start);

function deliver(envelope: ServerToPage): void {
  if (envelope.kind === 'interrupt') {
    // SIGINT; Pyodide raises KeyboardInterrupt at its next check and clears the byte.
    const buffer = interruptBuffer;
    if (!buffer || !evaluating) return;
    Atomics.store(buffer, 0, 2);
    reassert ??= setInterval(() => Atomics.store(buffer, 0, 2), REASSERT_MS);
    return;
  }
  if (typeOf(envelope.message) === 'eval') {
    endEvaluation();
    evaluating = true;
  }
  worker.postMessage(envelope.message);
}

function stop(): void {
  if (stopped) return;
  stopped = true;
  endEvaluation();
  worker.terminate();
}

// --- main → page: a long poll, answered with one envelope, or 204 when nothing came.
async function poll(): Promise<void> {
  while (!stopped) {
    let envelope: ServerToPage;
    try {
      const response = await fetch(channelUrl('next'), { cache: 'no-store' });
      if (response.status === 204) continue;
      if (!response.ok) throw new Error(`channel answered ${response.status}`);
      envelope = (await response.json()) as ServerToPage;
    } catch {
      // The channel is closed (the host was killed) or main is gone: nothing left to do.
      stop();
      return;
    }
    deliver(envelope);
  }
}

post({ kind: 'hello', interruptible: interruptBuffer !== null });
void poll();
