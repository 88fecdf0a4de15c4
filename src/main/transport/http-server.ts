import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { eventNames, type Envelope, type ErrorCode } from '@shared/contract';
import { type EventBus } from '../events/event-bus';
import { type Dispatcher } from './dispatcher';
import { consoleLogger, type Logger } from './logger';

export interface HttpServerOptions {
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  /** Loopback only: an address in 127.0.0.0/8, `::1` or `localhost`. Anything else is refused. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** The bearer token clients must present; a random 32-byte base64url token by default. */
  readonly token?: string;
  /** The built renderer (`out/renderer`), served to GET; omit to serve the API only. */
  readonly staticDir?: string;
  readonly logger?: Logger;
  /** SSE heartbeat period (default 15 s). */
  readonly heartbeatMs?: number;
  /** Largest accepted RPC body (default 2 MiB). */
  readonly maxBodyBytes?: number;
}

export interface HttpServerHandle {
  /** The page to open: `http://127.0.0.1:PORT/#token=…` (the token travels in the fragment). */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, the base URL for `createHttpTransport`. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** Ends every event stream and stops listening. */
  close(): Promise<void>;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const DEFAULT_MAX_BODY = 2 * 1024 * 1024;
const DEFAULT_HEARTBEAT_MS = 15_000;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Sent on every response, whatever it holds. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** HTTP status for each error code of the envelope. */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'UNKNOWN_PROCEDURE':
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'IN_USE':
      return 409;
    case 'STORE_ERROR':
    case 'INTERNAL':
      return 500;
  }
}

/** Whether `host` names the loopback interface (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped?.[1] !== undefined && isIPv4(mapped[1]) && mapped[1].startsWith('127.');
  }
  return false;
}

/** `host:port` as it appears in a Host header / URL authority. */
function authority(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Serves the contract over loopback HTTP: `POST /rpc/<name>`, `GET /events` (Server-Sent
 * Events) and the built renderer. Every request is checked against DNS rebinding (Host,
 * Origin); every API request needs the per-launch bearer token.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const host = (options.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  if (!isLoopbackHost(host)) {
    throw new Error(`Refusing to listen on "${host}": Flowbench serves on loopback only (127.0.0.0/8, ::1, localhost).`);
  }
  const logger = options.logger ?? consoleLogger;
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port ${String(port)}.`);
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (token.length < 16) throw new Error('The server token must be at least 16 characters.');
  const tokenDigest = digest(token);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  let staticRoot: string | null = null;
  if (options.staticDir !== undefined) {
    const dir = resolve(options.staticDir);
    staticRoot = await fs.realpath(dir).catch(() => dir);
    const hasIndex = await fs.stat(resolve(staticRoot, 'index.html')).then((s) => s.isFile(), () => false);
    if (!hasIndex) logger.warn?.(`No index.html in ${dir}: the UI is not built (npm run build); the API still works.`);
  }
  const { dispatcher, events } = options;

  const streams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const warn = (message: string, details?: Record<string, unknown>) => logger.warn?.(message, details);

  const sendEnvelope = (res: ServerResponse, status: number, envelope: Envelope<unknown>, extra: Record<string, string> = {}) => {
    const body = JSON.stringify(envelope);
    res.writeHead(status, {
      ...BASE_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  };
  const sendError = (res: ServerResponse, status: number, code: ErrorCode, message: string, extra?: Record<string, string>) =>
    sendEnvelope(res, status, { ok: false, error: { code, message } }, extra);

  const authorized = (req: IncomingMessage, query: URLSearchParams | null): boolean => {
    const header = req.headers.authorization;
    let presented: string | null = null;
    if (typeof header === 'string') {
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
      presented = match?.[1] ?? null;
    } else if (query) {
      presented = query.get('token');
    }
    return presented !== null && timingSafeEqual(digest(presented), tokenDigest);
  };

  const handleRpc = async (req: IncomingMessage, res: ServerResponse, name: string) => {
    const contentType = req.headers['content-type'];
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > maxBody) {
      refuseTooLarge(req, res);
      return;
    }
    const body = await readBody(req, maxBody);
    if (body === 'too-large') {
      refuseTooLarge(req, res);
      return;
    }
    if (body === 'aborted') return;
    let input: unknown = undefined;
    if (body.length > 0) {
      if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType)) {
        sendError(res, 400, 'INVALID_INPUT', 'Expected a JSON body (Content-Type: application/json).');
        return;
      }
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        sendError(res, 400, 'INVALID_INPUT', 'The request body is not valid JSON.');
        return;
      }
    }
    const envelope = await dispatcher.call(name, input, { transport: 'http' });
    if (res.destroyed) return;
    sendEnvelope(res, envelope.ok ? 200 : statusForCode(envelope.error.code), envelope);
  };

  const refuseTooLarge = (req: IncomingMessage, res: ServerResponse) => {
    sendError(res, 413, 'INVALID_INPUT', `The request body exceeds ${maxBody} bytes.`, { Connection: 'close' });
    // Drain what the client is still sending so it reads the 413 instead of a reset.
    req.resume();
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse) => {
    // Subscribe before the headers go out: once a client sees the stream open, it sees every event.
    const unsubscribes = eventNames.map((name) =>
      events.subscribe(name, (payload) => {
        if (!res.writableEnded) res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': heartbeat\n\n');
    }, heartbeatMs);
    heartbeat.unref();
    const cleanup = () => {
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      streams.delete(res);
    };
    res.on('close', cleanup);
    req.on('close', cleanup);
    streams.add(res);
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
  };

  const handleStatic = async (req: IncomingMessage, res: ServerResponse, rawPath: string) => {
    const notFound = () => sendError(res, 404, 'NOT_FOUND', 'Not found.');
    if (!staticRoot) return notFound();
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return sendError(res, 400, 'INVALID_INPUT', 'Malformed path.');
    }
    // No NUL bytes, backslashes or dot-segments/dotfiles: the renderer build has none.
    if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((segment) => segment.startsWith('.'))) {
      return notFound();
    }
    let file = resolve(staticRoot, `.${decoded}`);
    if (!isInside(staticRoot, file)) return notFound();
    try {
      let stat = await fs.stat(file);
      if (stat.isDirectory()) {
        file = resolve(file, 'index.html');
        stat = await fs.stat(file);
      }
      if (!stat.isFile()) return notFound();
      // Follow symlinks, then check again: a link must not lead out of the renderer folder.
      const real = await fs.realpath(file);
      if (!isInside(staticRoot, real)) return notFound();
      const type = CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
      const headers: Record<string, string | number> = {
        ...BASE_HEADERS,
        'Content-Type': type,
        'Content-Length': stat.size,
        'Cache-Control': 'no-cache',
      };
      if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(real);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      notFound();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: only our own authority may be named, and only our own origin may call.
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader)) {
      warn('Refused a request with a foreign Host header', { host: hostHeader.slice(0, 100) });
      return sendError(res, 403, 'FORBIDDEN', 'Forbidden host.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      warn('Refused a request from a foreign Origin', { origin: origin.slice(0, 100) });
      return sendError(res, 403, 'FORBIDDEN', 'Forbidden origin.');
    }

    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = queryAt === -1 ? null : new URLSearchParams(rawUrl.slice(queryAt + 1));
    const method = req.method ?? 'GET';

    if (rawPath.startsWith('/rpc/')) {
      if (method !== 'POST') return sendError(res, 405, 'INVALID_INPUT', 'Method not allowed.', { Allow: 'POST' });
      if (!authorized(req, null)) return sendError(res, 401, 'UNAUTHORIZED', 'Missing or wrong token.');
      let name: string;
      try {
        name = decodeURIComponent(rawPath.slice('/rpc/'.length));
      } catch {
        name = rawPath.slice('/rpc/'.length);
      }
      return handleRpc(req, res, name);
    }
    if (rawPath === '/events') {
      if (method !== 'GET') return sendError(res, 405, 'INVALID_INPUT', 'Method not allowed.', { Allow: 'GET' });
      if (!authorized(req, query)) return sendError(res, 401, 'UNAUTHORIZED', 'Missing or wrong token.');
      return handleEvents(req, res);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return sendError(res, 405, 'INVALID_INPUT', 'Method not allowed.', { Allow: 'GET, HEAD' });
    }
    return handleStatic(req, res, rawPath);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('HTTP request failed', { error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) });
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Flowbench hit an internal error.');
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen({ host, port }, () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The server has no TCP address.');
  const boundPort = address.port;

  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (isIPv4(host)) names.add(host);
  allowedHosts = new Set([...names].map((n) => `${n}:${boundPort}`));
  allowedOrigins = new Set([...allowedHosts].map((a) => `http://${a}`));

  const origin = `http://${authority(host, boundPort)}`;
  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port: boundPort,
    token,
    close() {
      closing ??= new Promise<void>((done) => {
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => done());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | 'too-large' | 'aborted') => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      done(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle('too-large');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle(Buffer.concat(chunks)));
    req.on('error', () => settle('aborted'));
    req.on('close', () => settle('aborted'));
  });
}
