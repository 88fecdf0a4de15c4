import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { type ExpressionHostFactory, type HostConnection, type HostListener } from '../host';
import { MAX_WORKER_MESSAGE_BYTES } from '../protocol';
import {
  CHANNEL_PREFIX,
  CHANNEL_QUERY,
  PAGE_FILE,
  PAGE_PREFIX,
  POLL_TIMEOUT_MS,
  PYODIDE_PREFIX,
  type PageToServer,
  type ServerToPage,
} from './envelope';

/*
 * The server side of the browser expression host: everything the hidden page may load (its own
 * bundle and Pyodide's files) and the message channel to it (see envelope.ts). It speaks the
 * Fetch API's Request/Response, so the same broker sits behind Electron's `protocol.handle`
 * (src/main/app/expression-window.ts) and behind a plain Node HTTP server on 127.0.0.1 (the
 * Chromium tests, test/support/browser-expression-host.ts).
 */

/**
 * The page's policy. Workers do not inherit it: a worker created from a URL is governed by the
 * CSP of its own script response, so every other response carries WORKER_POLICY, which adds
 * only what Pyodide needs to compile its WebAssembly. Neither allows eval (`run_js` and
 * `new Function` fail), and nothing can be fetched from anywhere but this origin.
 */
export const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
export const WORKER_POLICY =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** On every response: cross-origin isolation (SharedArrayBuffer for the interrupt buffer), no sniffing, no caching. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json; charset=utf-8',
};

/** The files of the pyodide package a worker loads; nothing else of node_modules is reachable. */
const PYODIDE_FILES = new Set([
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
]);

/** A file name of the built page: one segment, no dotfiles, no encoded separators. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export interface ChannelBrokerOptions {
  /** The built page folder: `out/renderer/expression-host` (index.html, page and worker bundles). */
  readonly pageDir: string;
  /** The installed `pyodide` package folder. */
  readonly pyodideDir: string;
  /** How long an empty long poll is held (default POLL_TIMEOUT_MS). */
  readonly pollTimeoutMs?: number;
  /** Largest body the page may post (default: the protocol's limit plus room for the envelope). */
  readonly maxBodyBytes?: number;
}

/** What a channel reports about its page. */
export interface ChannelListener {
  /** A message the worker posted (unvalidated). */
  message(raw: unknown): void;
  /** The page or its worker failed, or the page broke the channel's rules: stop the host. */
  failed(reason: string): void;
}

export interface BrokerChannel {
  readonly id: string;
  /** Path (and query) of the page for this channel, to append to the host origin. */
  readonly pagePath: string;
  /** Queue a message for the worker. */
  send(message: unknown): void;
  /** Ask the page to interrupt the running evaluation; false when it has no interrupt buffer (yet). */
  interrupt(): boolean;
  /** Forget the channel: pending and later requests for it are refused. Idempotent. */
  close(): void;
}

interface Poll {
  answer(response: Response): void;
}

interface ChannelState {
  readonly listener: ChannelListener;
  readonly queue: string[];
  poll: Poll | null;
  interruptible: boolean;
  open: boolean;
  /**
   * POSTs being answered. Meanwhile what main sends is queued and goes back in the POST's
   * answer (the worker's reply and main's next request share one round trip); the long poll
   * carries only what main sends on its own.
   */
  posting: number;
}

function respond(
  status: number,
  body: ConstructorParameters<typeof Response>[0],
  headers: Record<string, string> = {},
): Response {
  return new Response(body, { status, headers: { ...BASE_HEADERS, ...headers } });
}

function plain(status: number, text: string): Response {
  return respond(status, text, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': WORKER_POLICY,
  });
}

function json(text: string): Response {
  return respond(200, text, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Security-Policy': WORKER_POLICY,
  });
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Reads a request body, giving up (null) as soon as it grows past `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class ChannelBroker {
  private readonly channels = new Map<string, ChannelState>();
  private readonly pageDir: string;
  private readonly pyodideDir: string;
  private readonly pollTimeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(options: ChannelBrokerOptions) {
    this.pageDir = resolve(options.pageDir);
    this.pyodideDir = resolve(options.pyodideDir);
    this.pollTimeoutMs = options.pollTimeoutMs ?? POLL_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_WORKER_MESSAGE_BYTES + 64 * 1024;
  }

  /** A new channel with a fresh unguessable id; the page opened at `pagePath` talks on it. */
  open(listener: ChannelListener): BrokerChannel {
    const id = randomBytes(18).toString('base64url');
    const state: ChannelState = {
      listener,
      queue: [],
      poll: null,
      interruptible: false,
      open: true,
      posting: 0,
    };
    this.channels.set(id, state);
    const push = (envelope: ServerToPage) => {
      if (!state.open) return;
      const text = JSON.stringify(envelope);
      const poll = state.poll;
      if (poll && state.posting === 0) {
        state.poll = null;
        poll.answer(json(text));
      } else {
        state.queue.push(text);
      }
    };
    return {
      id,
      pagePath: `${PAGE_PREFIX}${PAGE_FILE}?${CHANNEL_QUERY}=${id}`,
      send: (message) => push({ kind: 'message', message }),
      interrupt: () => {
        if (!state.open || !state.interruptible) return false;
        push({ kind: 'interrupt' });
        return true;
      },
      close: () => {
        if (!state.open) return;
        state.open = false;
        state.queue.length = 0;
        this.channels.delete(id);
        const poll = state.poll;
        state.poll = null;
        poll?.answer(plain(410, 'Channel closed.'));
      },
    };
  }

  /** Answers one request of the page (or its worker). Never throws. */
  async handle(request: Request): Promise<Response> {
    try {
      return await this.route(request);
    } catch {
      return plain(500, 'Internal error.');
    }
  }

  private async route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith(CHANNEL_PREFIX))
      return this.channel(request, path.slice(CHANNEL_PREFIX.length));
    if (request.method !== 'GET') return plain(405, 'Method not allowed.');
    if (path.startsWith(PYODIDE_PREFIX)) {
      const name = path.slice(PYODIDE_PREFIX.length);
      if (!PYODIDE_FILES.has(name)) return plain(404, 'Not found.');
      return this.file(this.pyodideDir, name, WORKER_POLICY);
    }
    if (path.startsWith(PAGE_PREFIX)) {
      const name = path.slice(PAGE_PREFIX.length);
      // The raw path is checked, so `%2e%2e`, `%2f` and friends never reach the file system.
      if (!ASSET_NAME.test(name)) return plain(404, 'Not found.');
      const policy = extname(name) === '.html' ? PAGE_POLICY : WORKER_POLICY;
      return this.file(this.pageDir, name, policy);
    }
    return plain(404, 'Not found.');
  }

  private async file(root: string, name: string, policy: string): Promise<Response> {
    const type = CONTENT_TYPES[extname(name).toLowerCase()];
    if (!type) return plain(404, 'Not found.');
    const path = resolve(root, name);
    if (!isInside(root, path)) return plain(404, 'Not found.');
    try {
      // Follow links, then check again: a link must not lead out of the folder.
      const real = await fs.realpath(path);
      const realRoot = await fs.realpath(root);
      if (!isInside(realRoot, real)) return plain(404, 'Not found.');
      const body = await fs.readFile(real);
      return respond(200, body, { 'Content-Type': type, 'Content-Security-Policy': policy });
    } catch {
      return plain(404, 'Not found.');
    }
  }

  private async channel(request: Request, rest: string): Promise<Response> {
    const [id, action, ...extra] = rest.split('/');
    const state = id ? this.channels.get(id) : undefined;
    if (!state || extra.length > 0) return plain(404, 'No such channel.');
    if (action === 'next' && request.method === 'GET') return this.next(state);
    if (action === 'post' && request.method === 'POST') return this.post(state, request);
    return plain(405, 'Method not allowed.');
  }

  private next(state: ChannelState): Promise<Response> | Response {
    const queued = state.queue.shift();
    if (queued !== undefined) return json(queued);
    // One poll at a time: a newer poll replaces (and releases) an older one.
    state.poll?.answer(respond(204, null));
    return new Promise<Response>((done) => {
      let answered = false;
      const poll: Poll = {
        answer: (response) => {
          if (answered) return;
          answered = true;
          clearTimeout(timer);
          done(response);
        },
      };
      const timer = setTimeout(() => {
        if (state.poll === poll) state.poll = null;
        poll.answer(respond(204, null));
      }, this.pollTimeoutMs);
      timer.unref?.();
      state.poll = poll;
    });
  }

  private async post(state: ChannelState, request: Request): Promise<Response> {
    state.posting += 1;
    try {
      const answer = await this.receive(state, request);
      if (answer) return answer;
      // Whatever main sends in reaction (its promise chains run before the next macrotask)
      // rides back on this answer.
      await new Promise<void>((done) => setImmediate(done));
      const replies = state.queue.splice(0);
      return replies.length > 0 ? json(`[${replies.join(',')}]`) : respond(204, null);
    } finally {
      state.posting -= 1;
      const poll = state.poll;
      if (state.posting === 0 && poll && state.queue.length > 0) {
        state.poll = null;
        poll.answer(json(state.queue.shift()!));
      }
    }
  }

  /** Reads and delivers one envelope; a Response = stop here (an error, a closed channel). */
  private async receive(state: ChannelState, request: Request): Promise<Response | null> {
    const text = await readLimited(request, this.maxBodyBytes);
    if (!state.open) return plain(410, 'Channel closed.');
    if (text === null) {
      state.listener.failed(`the expression host posted more than ${this.maxBodyBytes} bytes`);
      return plain(413, 'Too large.');
    }
    let envelope: PageToServer;
    try {
      envelope = JSON.parse(text) as PageToServer;
    } catch {
      state.listener.failed('the expression host posted malformed JSON');
      return plain(400, 'Malformed JSON.');
    }
    if (typeof envelope !== 'object' || envelope === null) {
      state.listener.failed('the expression host posted a malformed envelope');
      return plain(400, 'Malformed envelope.');
    }
    switch (envelope.kind) {
      case 'hello':
        state.interruptible = envelope.interruptible === true;
        break;
      case 'message':
        state.listener.message(envelope.message);
        break;
      case 'failed':
        state.listener.failed(
          `the expression host failed: ${String(envelope.reason).slice(0, 2000)}`,
        );
        break;
      default:
        state.listener.failed('the expression host posted an unknown envelope');
        return plain(400, 'Unknown envelope.');
    }
    return null;
  }
}

/** Starts the page for a channel (a hidden Electron window, a Playwright page…). */
export interface PageLauncher {
  /**
   * Open the page at `pagePath` (relative to the launcher's origin). Call `gone` when the page
   * or its process dies on its own. The returned `close` tears the page down (idempotent).
   */
  open(pagePath: string, gone: (reason: string) => void): { close(): void };
}

/**
 * Host-connection plumbing shared by every browser host: a fresh channel per launch, `exit`
 * reported exactly once (whatever comes first: a kill, a dead page, a broken channel), and the
 * page torn down with its channel.
 */
export function launchOverChannel(
  broker: ChannelBroker,
  launcher: PageLauncher,
  listener: HostListener,
): HostConnection {
  let alive = true;
  let page: { close(): void } | null = null;
  const stop = (reason: string) => {
    if (!alive) return;
    alive = false;
    channel.close();
    try {
      page?.close();
    } finally {
      listener.exit(reason);
    }
  };
  const channel = broker.open({
    message: (raw) => {
      if (alive) listener.message(raw);
    },
    failed: (reason) => stop(reason),
  });
  try {
    page = launcher.open(channel.pagePath, (reason) => stop(reason));
    if (!alive) page.close();
  } catch (error) {
    queueMicrotask(() =>
      stop(
        `the expression host could not start: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
  return {
    send: (message) => {
      if (alive) channel.send(message);
    },
    interrupt: () => alive && channel.interrupt(),
    kill: () => stop('killed'),
  };
}

/** An ExpressionHostFactory over a broker and a page launcher. */
export function channelHostFactory(
  kind: string,
  broker: ChannelBroker,
  launcher: PageLauncher,
): ExpressionHostFactory {
  return { kind, launch: (listener) => launchOverChannel(broker, launcher, listener) };
}
