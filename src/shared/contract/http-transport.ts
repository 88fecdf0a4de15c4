import { type Transport } from './client';
import { envelopeSchema, type Envelope } from './envelope';
import { events as eventSchemas, type EventName, type EventPayload } from './events';
import { type ProcedureName } from './procedures';

/**
 * The contract over loopback HTTP (`flowbench serve`): `POST /rpc/<name>` for calls and one
 * shared Server-Sent Events stream (`GET /events`) for every subscription. Runtime-neutral: it
 * uses only `fetch`, `TextDecoder`, `AbortController` and timers, so it runs in the browser
 * renderer and in Node tests alike. Events are read with a streaming `fetch` rather than
 * `EventSource`, which Node lacks and which cannot send an `Authorization` header.
 */

/** `connecting` → `open` ⇄ `connecting`; `unauthorized` is final (the token is wrong: reload the page URL). */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'unauthorized' | 'closed';

export interface HttpTransportOptions {
  /** `http://127.0.0.1:PORT` (a path prefix is kept; a `#token=…` fragment is ignored). */
  readonly baseUrl: string;
  readonly token: string;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * Told when the event stream opens or drops. Events sent while the stream was down are
   * lost: on a second `open`, refetch what is shown.
   */
  readonly onConnectionChange?: (state: ConnectionState) => void;
  /** Reconnect backoff: first delay (default: the server's `retry:`, else 500 ms), doubling up to `maxDelayMs` (default 15 s), ±20 % jitter. */
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
}

export interface HttpTransport extends Transport {
  /** The current state of the event stream. */
  readonly connection: ConnectionState;
  /** Stops the event stream for good; calls still work. */
  close(): void;
}

export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6): feed it
 * decoded text in chunks of any size; it calls `onMessage` per dispatched event and
 * `onRetry` for `retry:` fields. Comments (`:` lines) are skipped.
 */
export function createSseParser(onMessage: (message: SseMessage) => void, onRetry?: (ms: number) => void): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let first = true;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }) });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        event = value;
        break;
      case 'data':
        data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) onRetry?.(Number(value));
        break;
      default:
        break;
    }
  };

  return (chunk) => {
    buffer += chunk;
    if (first && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      first = false;
    }
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      if (c === '\r' && i === buffer.length - 1) break; // may be the first half of \r\n
      line(buffer.slice(start, i));
      if (c === '\r' && buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const base = normaliseBase(options.baseUrl);
  const fetchImpl: typeof fetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const authorization = `Bearer ${options.token}`;
  const configuredDelay = options.reconnect?.initialDelayMs;
  const maxDelay = options.reconnect?.maxDelayMs ?? 15_000;

  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let state: ConnectionState = 'idle';
  let controller: AbortController | null = null;
  let running = false;
  let closed = false;
  let serverRetry: number | null = null;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    try {
      options.onConnectionChange?.(next);
    } catch {
      // A broken observer must not stop the stream.
    }
  };

  const listenerCount = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);

  const deliver = (message: SseMessage) => {
    if (!Object.prototype.hasOwnProperty.call(eventSchemas, message.event)) return;
    const name = message.event as EventName;
    let json: unknown;
    try {
      json = JSON.parse(message.data);
    } catch {
      return;
    }
    const parsed = eventSchemas[name].safeParse(json);
    if (!parsed.success) {
      console.warn(`[flowbench] dropped a malformed ${name} event`);
      return;
    }
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        (listener as (payload: EventPayload<typeof name>) => void)(parsed.data);
      } catch (error) {
        console.error(`[flowbench] a ${name} listener failed`, error);
      }
    }
  };

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        done();
      });
    });

  const run = async () => {
    running = true;
    let failures = 0;
    while (!closed && listenerCount() > 0) {
      const attempt = new AbortController();
      controller = attempt;
      setState('connecting');
      let opened = false;
      try {
        const response = await fetchImpl(`${base}/events`, {
          method: 'GET',
          headers: { Authorization: authorization, Accept: 'text/event-stream' },
          signal: attempt.signal,
        });
        if (response.status === 401 || response.status === 403) {
          await response.body?.cancel().catch(() => undefined);
          setState('unauthorized');
          break;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        opened = true;
        failures = 0;
        setState('open');
        const reader = response.body.getReader();
        // fetch ties the body to the signal, but a custom `fetch` may not: cancel explicitly.
        attempt.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
        const decoder = new TextDecoder();
        const feed = createSseParser(deliver, (ms) => {
          serverRetry = ms;
        });
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // Network failure or abort: fall through to the backoff.
      }
      if (attempt.signal.aborted || closed || listenerCount() === 0) break;
      if (!opened) failures++;
      setState('connecting');
      const baseDelay = configuredDelay ?? serverRetry ?? 500;
      const delay = Math.min(maxDelay, baseDelay * 2 ** Math.min(failures, 16));
      await sleep(delay * (0.8 + Math.random() * 0.4), attempt.signal);
    }
    running = false;
    controller = null;
    if (state === 'unauthorized') return;
    // Someone subscribed again while the last stream was winding down: start a fresh one.
    if (!closed && listenerCount() > 0) {
      void run();
      return;
    }
    setState(closed ? 'closed' : 'idle');
  };

  const ensureRunning = () => {
    if (!running && !closed && state !== 'unauthorized') void run();
  };

  const stopIfUnused = () => {
    if (listenerCount() === 0) controller?.abort();
  };

  return {
    get connection() {
      return state;
    },
    async call(name: ProcedureName, input: unknown): Promise<Envelope<unknown>> {
      let body: string | undefined;
      try {
        body = input === undefined ? undefined : JSON.stringify(input);
      } catch {
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'The input cannot be sent as JSON.' } };
      }
      let response: Response;
      try {
        response = await fetchImpl(`${base}/rpc/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: {
            Authorization: authorization,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body }),
        });
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: `Cannot reach Flowbench at ${base}.` } };
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: `Unexpected response from Flowbench (HTTP ${response.status}).` } };
      }
      const envelope = envelopeSchema.safeParse(json);
      if (!envelope.success) {
        return { ok: false, error: { code: 'INTERNAL', message: `Unexpected response from Flowbench (HTTP ${response.status}).` } };
      }
      return envelope.data as Envelope<unknown>;
    },
    subscribe<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
      const set = listeners.get(name) ?? new Set();
      const entry = (payload: never) => listener(payload);
      set.add(entry);
      listeners.set(name, set);
      ensureRunning();
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        set.delete(entry);
        stopIfUnused();
      };
    },
    close() {
      closed = true;
      controller?.abort();
      if (!running) setState('closed');
    },
  };
}

function normaliseBase(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.hash = '';
  url.search = '';
  return url.toString().replace(/\/+$/, '');
}

/**
 * The token `flowbench serve` puts in the page URL's fragment (`#token=…`; fragments never
 * reach the server or a Referer). Returns null when absent.
 */
export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token !== null && token.length > 0 ? token : null;
}
