import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Envelope, type EventPayload } from '@shared/contract';
import { createHttpTransport, type ConnectionState } from '@shared/contract/http-transport';
import { createDispatcher } from '../../src/main/transport/dispatcher';
import { CONTENT_SECURITY_POLICY, isLoopbackHost, startHttpServer } from '../../src/main/transport/http-server';
import { quietLogger, startHttpHarness, type HttpHarness } from './support/adapters';
import { openTestWorkspace, type TestWorkspace } from './support/workspace';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP/1.1 request: no URL normalisation, any Host header. */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] },
): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

const json = (response: RawResponse) => JSON.parse(response.body) as Envelope<unknown>;

let root: string;
let staticDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'flowbench-http-'));
  staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Flowbench</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("flowbench")');
  writeFileSync(join(staticDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(staticDir, '.env'), 'HIDDEN=1');
  writeFileSync(join(root, 'package.json'), '{"name":"OUTSIDE-SECRET"}');
  symlinkSync(join(root, 'package.json'), join(staticDir, 'assets', 'link.json'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('HTTP adapter', () => {
  let workspace: TestWorkspace;
  let harness: HttpHarness;
  let port: number;
  let token: string;
  const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  beforeEach(async () => {
    workspace = await openTestWorkspace();
    harness = await startHttpHarness(workspace, quietLogger, staticDir);
    port = harness.server.port;
    token = harness.server.token;
  });

  afterEach(async () => {
    await harness.close();
    await workspace.close();
  });

  it('prints a loopback page URL with the token in the fragment', () => {
    expect(harness.server.url).toBe(`http://127.0.0.1:${port}/#token=${token}`);
    expect(harness.server.origin).toBe(`http://127.0.0.1:${port}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('draws a fresh token per launch', async () => {
    const other = await startHttpServer({ dispatcher: createDispatcher(workspace.handlers, { logger: quietLogger }), events: workspace.events });
    try {
      expect(other.token).not.toBe(token);
    } finally {
      await other.close();
    }
  });

  describe('token', () => {
    it('answers 401 UNAUTHORIZED to an RPC without or with a wrong token', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nope' }, { authorization: `Basic ${token}` }, { authorization: `Bearer ${token}x` }, { authorization: 'Bearer' }]) {
        const response = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers });
        expect(response.status).toBe(401);
        expect(json(response)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      }
    });

    it('does not run the procedure for an unauthorised call', async () => {
      const response = await raw(port, { method: 'POST', path: '/rpc/users.create', headers: { 'content-type': 'application/json' }, body: '{"username":"intruder"}' });
      expect(response.status).toBe(401);
      const users = await createClient(harness.transport).call('users.list');
      expect(users.map((user) => user.username)).not.toContain('intruder');
    });

    it('accepts the right token (scheme case-insensitive)', async () => {
      const response = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers: { authorization: `bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(json(response)).toMatchObject({ ok: true });
    });

    it('guards /events with the token (header or ?token=)', async () => {
      expect((await raw(port, { path: '/events' })).status).toBe(401);
      expect((await raw(port, { path: '/events?token=wrong' })).status).toBe(401);
      const ok = await openStream(port, `/events?token=${encodeURIComponent(token)}`, {});
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^text\/event-stream/);
      ok.destroy();
    });

    it('tells an HTTP transport with a wrong token UNAUTHORIZED, for calls and events', async () => {
      const states: ConnectionState[] = [];
      const wrong = createHttpTransport({ baseUrl: harness.server.origin, token: 'wrong-token', onConnectionChange: (s) => states.push(s) });
      expect(await wrong.call('flows.list', undefined)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      wrong.subscribe('workspace.changed', () => undefined);
      await until(() => states.includes('unauthorized'));
      expect(wrong.connection).toBe('unauthorized');
      wrong.close();
    });
  });

  describe('DNS rebinding', () => {
    it('answers 403 to a foreign Host on every route, even with the token', async () => {
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1.evil.example:${port}`, `localhost:${port}.evil.example`, '127.0.0.1']) {
        for (const [method, path] of [['POST', '/rpc/flows.list'], ['GET', '/events'], ['GET', '/'], ['GET', '/assets/app.js']] as const) {
          const response = await raw(port, { method, path, headers: { ...auth(), host } });
          expect(response.status, `${method} ${path} Host: ${host}`).toBe(403);
          expect(json(response)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        }
      }
    });

    it('refuses a request without a Host header', async () => {
      const status = await new Promise<number>((done, fail) => {
        const req = request({ host: '127.0.0.1', port, path: '/', setHost: false }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.end();
      });
      expect(status).toBeGreaterThanOrEqual(400);
    });

    it('accepts the loopback names of this port', async () => {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
        const response = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers: { ...auth(), host } });
        expect(response.status, host).toBe(200);
      }
    });

    it('answers 403 to a foreign Origin', async () => {
      for (const origin of ['https://evil.example', `http://evil.example:${port}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, 'null']) {
        for (const [method, path] of [['POST', '/rpc/flows.list'], ['GET', '/']] as const) {
          const response = await raw(port, { method, path, headers: { ...auth(), origin } });
          expect(response.status, `${method} ${path} Origin: ${origin}`).toBe(403);
          expect(json(response)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        }
      }
    });

    it('accepts our own Origin', async () => {
      for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]) {
        const response = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers: { ...auth(), origin } });
        expect(response.status, origin).toBe(200);
      }
    });
  });

  describe('RPC', () => {
    it('maps error codes to HTTP statuses', async () => {
      const notFound = await raw(port, { method: 'POST', path: '/rpc/flows.get', headers: auth(), body: JSON.stringify({ pk: '00000000-0000-0000-0000-000000000000' }) });
      expect(notFound.status).toBe(404);
      expect(json(notFound)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const invalid = await raw(port, { method: 'POST', path: '/rpc/flows.get', headers: auth(), body: '{"pk":1}' });
      expect(invalid.status).toBe(400);
      const unknown = await raw(port, { method: 'POST', path: '/rpc/flows.nuke', headers: auth(), body: '{}' });
      expect(unknown.status).toBe(404);
      expect(json(unknown)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE' } });
      const body = JSON.stringify({ name: 'A', slug: 'http-dup', title: 'A', designation: 'authentication' });
      expect((await raw(port, { method: 'POST', path: '/rpc/flows.create', headers: auth(), body })).status).toBe(200);
      const conflict = await raw(port, { method: 'POST', path: '/rpc/flows.create', headers: auth(), body });
      expect(conflict.status).toBe(409);
      expect(conflict.headers['content-type']).toMatch(/^application\/json/);
      expect(conflict.headers['x-content-type-options']).toBe('nosniff');
      expect(conflict.headers['cache-control']).toBe('no-store');
    });

    it('maps INTERNAL, IN_USE and STORE_ERROR too', async () => {
      const statuses: Record<string, number> = {};
      const server = await startHttpServer({
        dispatcher: { call: async (name) => ({ ok: false, error: { code: name.split('.')[1] as never, message: name } }) },
        events: workspace.events,
        logger: quietLogger,
      });
      try {
        for (const code of ['INTERNAL', 'IN_USE', 'STORE_ERROR', 'CONFLICT', 'NOT_FOUND']) {
          statuses[code] = (await raw(server.port, { method: 'POST', path: `/rpc/x.${code}`, headers: { authorization: `Bearer ${server.token}` } })).status;
        }
      } finally {
        await server.close();
      }
      expect(statuses).toEqual({ INTERNAL: 500, IN_USE: 409, STORE_ERROR: 500, CONFLICT: 409, NOT_FOUND: 404 });
    });

    it('answers INVALID_INPUT to a body that is not JSON', async () => {
      for (const [body, type] of [['{"pk":', 'application/json'], ['not json', 'application/json'], ['{}', 'text/plain'], ['{}', 'application/x-www-form-urlencoded']]) {
        const response = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers: { authorization: `Bearer ${token}`, 'content-type': type! }, body });
        expect(response.status, `${type}: ${body}`).toBe(400);
        expect(json(response)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
    });

    it('takes an empty body as no input', async () => {
      const response = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(json(response)).toMatchObject({ ok: true, value: expect.any(Array) });
    });

    it('answers 413 to a body over 2 MiB (declared or streamed)', async () => {
      const big = Buffer.alloc(2 * 1024 * 1024 + 10, 0x20);
      const declared = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers: auth(), body: big });
      expect(declared.status).toBe(413);
      expect(json(declared)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const streamed = await raw(port, { method: 'POST', path: '/rpc/flows.list', headers: auth(), chunks: Array.from({ length: 12 }, () => chunk) });
      expect(streamed.status).toBe(413);
      // The server still answers afterwards.
      expect(await harness.transport.call('flows.list', undefined)).toMatchObject({ ok: true, value: expect.any(Array) });
    });

    it('accepts a body just under the limit', async () => {
      const body = JSON.stringify({ username: 'big', attributes: { blob: 'x'.repeat(2 * 1024 * 1024 - 200) } });
      const response = await raw(port, { method: 'POST', path: '/rpc/users.create', headers: auth(), body });
      expect(response.status).toBe(200);
    });

    it('answers 405 to other methods', async () => {
      for (const [method, path] of [['GET', '/rpc/flows.list'], ['PUT', '/rpc/flows.list'], ['OPTIONS', '/rpc/flows.list'], ['POST', '/events'], ['DELETE', '/'], ['POST', '/index.html']] as const) {
        const response = await raw(port, { method, path, headers: auth() });
        expect(response.status, `${method} ${path}`).toBe(405);
      }
    });

    it('answers Cannot reach Flowbench when the server is gone', async () => {
      const transport = createHttpTransport({ baseUrl: harness.server.origin, token });
      await harness.close();
      expect(await transport.call('flows.list', undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: `Cannot reach Flowbench at ${harness.server.origin}.` } });
    });
  });

  describe('static files', () => {
    it('serves index.html at / with the CSP and security headers', async () => {
      const response = await raw(port, { path: '/' });
      expect(response.status).toBe(200);
      expect(response.body).toContain('<title>Flowbench</title>');
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect((await raw(port, { path: '/index.html' })).body).toBe(response.body);
    });

    it('serves assets with their content types and no token', async () => {
      const js = await raw(port, { path: '/assets/app.js?v=1' });
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.headers['x-content-type-options']).toBe('nosniff');
      expect((await raw(port, { path: '/assets/app.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
      const head = await raw(port, { method: 'HEAD', path: '/assets/app.js' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
    });

    it('does not serve anything outside the renderer folder', async () => {
      for (const path of [
        '/../package.json',
        '/%2e%2e/package.json',
        '/%2E%2E/package.json',
        '/%2e%2e%2fpackage.json',
        '/assets/../../package.json',
        '/assets/%2e%2e/%2e%2e/package.json',
        '/..%5cpackage.json',
        '/%2e%2e/',
        '//etc/passwd',
        '/assets/link.json',
        '/.env',
        '/index.html%00.js',
        '/%ff',
      ]) {
        const response = await raw(port, { path });
        expect(response.status, path).toBeGreaterThanOrEqual(400);
        expect(response.body, path).not.toContain('OUTSIDE-SECRET');
        expect(response.body, path).not.toContain('HIDDEN');
        expect(response.body, path).not.toContain('root:');
      }
    });

    it('answers 404 to a missing file', async () => {
      expect((await raw(port, { path: '/nope.js' })).status).toBe(404);
    });
  });

  describe('events', () => {
    it('streams workspace.changed as SSE frames with heartbeats', async () => {
      const server = await startHttpServer({ dispatcher: createDispatcher(workspace.handlers, { logger: quietLogger }), events: workspace.events, heartbeatMs: 20, logger: quietLogger });
      try {
        const stream = await openStream(server.port, '/events', { authorization: `Bearer ${server.token}` });
        await until(() => stream.text().includes(': heartbeat'));
        workspace.events.emit('workspace.changed', { entity: 'flow', action: 'created', pk: 'abc' });
        await until(() => stream.text().includes('event: workspace.changed'));
        expect(stream.text()).toContain('event: workspace.changed\ndata: {"entity":"flow","action":"created","pk":"abc"}\n\n');
        stream.destroy();
      } finally {
        await server.close();
      }
    });

    it('ends open streams on close and unsubscribes them', async () => {
      let subscribers = 0;
      const events = {
        emit: workspace.events.emit,
        subscribe: ((name, listener) => {
          subscribers++;
          const off = workspace.events.subscribe(name, listener);
          return () => {
            subscribers--;
            off();
          };
        }) as typeof workspace.events.subscribe,
      };
      const server = await startHttpServer({ dispatcher: createDispatcher(workspace.handlers, { logger: quietLogger }), events, logger: quietLogger });
      const stream = await openStream(server.port, '/events', { authorization: `Bearer ${server.token}` });
      expect(subscribers).toBe(1);
      await server.close();
      await until(() => stream.ended());
      expect(subscribers).toBe(0);
    });

    it('reconnects after the server comes back and validates payloads', async () => {
      const events = workspace.events;
      const dispatcher = createDispatcher(workspace.handlers, { logger: quietLogger });
      let server = await startHttpServer({ dispatcher, events, logger: quietLogger });
      const states: ConnectionState[] = [];
      const transport = createHttpTransport({ baseUrl: server.origin, token: server.token, reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, onConnectionChange: (s) => states.push(s) });
      const received: EventPayload<'workspace.changed'>[] = [];
      const off = transport.subscribe('workspace.changed', (p) => received.push(p));
      try {
        await until(() => transport.connection === 'open');
        const { port: samePort, token: sameToken } = server;
        await server.close();
        await until(() => transport.connection === 'connecting');
        server = await startHttpServer({ dispatcher, events, port: samePort, token: sameToken, logger: quietLogger });
        await until(() => transport.connection === 'open');
        // A payload that breaks the schema is dropped (with a warning); the next valid one arrives.
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
        events.emit('workspace.changed', { entity: 'nonsense', action: 'created', pk: 1 } as never);
        events.emit('workspace.changed', { entity: 'user', action: 'created', pk: 1 });
        await until(() => received.length > 0);
        expect(received).toEqual([{ entity: 'user', action: 'created', pk: 1 }]);
        expect(warn).toHaveBeenCalledTimes(1);
        warn.mockRestore();
        expect(states.filter((s) => s === 'open')).toHaveLength(2);
      } finally {
        off();
        transport.close();
        await server.close();
      }
    });
  });
});

describe('binding', () => {
  it('refuses a host that is not loopback', async () => {
    const workspace = await openTestWorkspace();
    try {
      const dispatcher = createDispatcher(workspace.handlers, { logger: quietLogger });
      for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '::ffff:10.0.0.1', '']) {
        await expect(startHttpServer({ dispatcher, events: workspace.events, host }), host).rejects.toThrow(/loopback/);
      }
      const v6 = await startHttpServer({ dispatcher, events: workspace.events, host: '::1', logger: quietLogger }).catch(() => null);
      if (v6) {
        // ::1 may be unavailable in a container; when it is, the origin is bracketed.
        expect(v6.origin).toBe(`http://[::1]:${v6.port}`);
        await v6.close();
      }
    } finally {
      await workspace.close();
    }
  });

  it('recognises loopback names', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '128.0.0.1', 'localhost.evil.example', '::ffff:10.0.0.1', '']) expect(isLoopbackHost(host), host).toBe(false);
  });
});

/** An SSE stream read raw, for frame-level checks. */
function openStream(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: () => string; ended: () => boolean; destroy: () => void }>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      res.on('error', () => (ended = true));
      done({ status: res.statusCode ?? 0, headers: res.headers, text: () => text, ended: () => ended, destroy: () => req.destroy() });
    });
    req.on('error', fail);
    req.end();
  });
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((done) => setTimeout(done, 5));
  }
}
