import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_POLICY } from '../../src/main/expressions/browser-channel/channel-broker';
import { type HostConnection } from '../../src/main/expressions/host';
import { PROTOCOL_VERSION, workerToHostSchema, type WorkerToHost } from '../../src/main/expressions/protocol';
import {
  type BrowserExpressionHost,
  builtPageDir,
  startBrowserExpressionHost,
  startLoopbackBroker,
  type LoopbackBroker,
} from '../support/browser-expression-host';

/*
 * The browser expression host (src/main/expressions/browser-host/) in Debian Chromium: the built
 * page and module worker, served by the channel broker on 127.0.0.1, running the real worker
 * core and Pyodide. Electron's hidden window loads the same files through the same broker.
 */

const LIMITS = { outputChars: 10_000, messageChars: 1_000, resultChars: 10_000 };

/** One launched host: every message it sent, parsed, and its exit. */
class Probe {
  readonly messages: WorkerToHost[] = [];
  readonly exits: string[] = [];
  readonly connection: HostConnection;
  private waiters: Array<() => void> = [];
  constructor(factory: BrowserExpressionHost) {
    this.connection = factory.launch({
      message: (raw) => {
        this.messages.push(workerToHostSchema.parse(raw));
        this.wake();
      },
      exit: (reason) => {
        this.exits.push(reason);
        this.wake();
      },
    });
  }
  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
  /** Resolves with the first message that matches (waits on the host, never on a clock). */
  async next<T extends WorkerToHost['type']>(
    type: T,
    match: (message: Extract<WorkerToHost, { type: T }>) => boolean = () => true,
  ): Promise<Extract<WorkerToHost, { type: T }>> {
    for (;;) {
      const found = this.messages.find(
        (message): message is Extract<WorkerToHost, { type: T }> =>
          message.type === type && match(message as Extract<WorkerToHost, { type: T }>),
      );
      if (found) return found;
      if (this.exits.length > 0) throw new Error(`host exited: ${this.exits.join('; ')}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }
  evaluate(id: number, source: string, vars: Record<string, unknown> = {}) {
    this.connection.send({
      type: 'eval',
      id,
      source,
      filename: `test-${id}`,
      vars: JSON.stringify(vars),
      answers: {},
      limits: LIMITS,
    });
    return this.next('done', (message) => message.id === id);
  }
}

/** A raw GET that keeps the path exactly as written (fetch would normalise `..`). */
function rawGet(
  origin: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(origin);
  return new Promise((done, fail) => {
    const req = httpRequest({ host: hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('channel broker on 127.0.0.1', () => {
  let loopback: LoopbackBroker;
  beforeAll(async () => {
    loopback = await startLoopbackBroker();
  });
  afterAll(async () => {
    await loopback?.close();
  });

  it('serves the page and Pyodide with isolation headers and the right types', async () => {
    const page = await rawGet(loopback.origin, '/expression-host/index.html');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).not.toContain('wasm-unsafe-eval');
    for (const [path, type] of [
      ['/pyodide/pyodide.asm.wasm', 'application/wasm'],
      ['/pyodide/pyodide.mjs', 'text/javascript; charset=utf-8'],
      ['/pyodide/python_stdlib.zip', 'application/zip'],
      ['/pyodide/pyodide-lock.json', 'application/json; charset=utf-8'],
    ] as const) {
      const response = await rawGet(loopback.origin, path);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toBe(type);
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(response.headers['content-security-policy']).toContain("'wasm-unsafe-eval'");
    }
  });

  it('builds the page with the same policy in its <meta> (minus what a meta cannot say)', () => {
    const html = readFileSync(join(builtPageDir, 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBe(PAGE_POLICY.replace("; frame-ancestors 'none'", ''));
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)|\sstyle=|<style/);
  });

  it('refuses paths outside the page and Pyodide files', async () => {
    for (const path of [
      '/pyodide/../package.json',
      '/pyodide/package.json',
      '/pyodide/pyodide.js.map',
      '/pyodide/%2e%2e/pyodide/package.json',
      '/expression-host/../index.html',
      '/expression-host/..%2f..%2fpackage.json',
      '/expression-host/%2e%2e%2f%2e%2e%2fpackage.json',
      '/expression-host/.hidden',
      '/expression-host/',
      '/index.html',
      '/channel/not-a-channel/next',
      '/etc/passwd',
    ]) {
      const response = await rawGet(loopback.origin, path);
      expect(response.status, path).toBe(404);
      expect(response.headers['cross-origin-embedder-policy'], path).toBe('require-corp');
    }
  });

  it('refuses a foreign Host header and an oversized post', async () => {
    const { hostname, port } = new URL(loopback.origin);
    const status = await new Promise<number>((done, fail) => {
      const req = httpRequest(
        {
          host: hostname,
          port,
          path: '/expression-host/index.html',
          headers: { host: 'evil.example' },
        },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);

    const failures: string[] = [];
    const small = await startLoopbackBroker({ maxBodyBytes: 1024 });
    try {
      const channel = small.broker.open({
        message: () => undefined,
        failed: (reason) => failures.push(reason),
      });
      const response = await fetch(`${small.origin}/channel/${channel.id}/post`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'message', message: 'x'.repeat(4096) }),
      });
      expect(response.status).toBe(413);
      expect(failures).toHaveLength(1);
    } finally {
      await small.close();
    }
  });

  it('long-polls: queued messages first, in order, then 204 when idle', async () => {
    const small = await startLoopbackBroker({ pollTimeoutMs: 200 });
    try {
      const channel = small.broker.open({ message: () => undefined, failed: () => undefined });
      channel.send({ n: 1 });
      channel.send({ n: 2 });
      const next = () => fetch(`${small.origin}/channel/${channel.id}/next`);
      expect(await (await next()).json()).toEqual({ kind: 'message', message: { n: 1 } });
      expect(await (await next()).json()).toEqual({ kind: 'message', message: { n: 2 } });
      expect((await next()).status).toBe(204);
      const waiting = next();
      channel.send({ n: 3 });
      expect(await (await waiting).json()).toEqual({ kind: 'message', message: { n: 3 } });
      // Before the page said hello with an interrupt buffer, an interrupt is refused.
      expect(channel.interrupt()).toBe(false);
      channel.close();
      expect((await next()).status).toBe(404);
    } finally {
      await small.close();
    }
  });
});

describe('browser expression host in Chromium', () => {
  let host: BrowserExpressionHost;
  let listener: Server;
  let connections = 0;
  beforeAll(async () => {
    host = await startBrowserExpressionHost();
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
  });
  afterAll(async () => {
    await host?.close();
    await new Promise<void>((done) => (listener ? listener.close(() => done()) : done()));
  });

  it('loads Pyodide in the worker, reports ready, and evaluates', async () => {
    const probe = new Probe(host);
    try {
      const ready = await probe.next('ready');
      expect(ready.protocol).toBe(PROTOCOL_VERSION);
      expect(ready.python).toMatch(/^3\.\d+/);
      expect(ready.pyodide).toBe('314.0.7');

      const done = await probe.evaluate(1, 'return 6 * 7');
      expect(done.outcome.error).toBeNull();
      expect(done.outcome.result).toBe(42);
      expect(done.outcome.truthy).toBe(true);

      const failed = await probe.evaluate(2, 'return undefined_name');
      expect(failed.outcome.error?.type).toBe('NameError');

      // Round trips through the channel (printed for reference, not asserted).
      const times: number[] = [];
      for (let id = 100; id < 300; id += 1) {
        const started = performance.now();
        await probe.evaluate(id, 'return request is None');
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(2);
      console.info(`warm eval round trip: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
    } finally {
      probe.connection.kill();
    }
    expect(probe.exits).toEqual(['killed']);
  });

  it('is cross-origin isolated, and interrupts a runaway loop through the shared buffer', async () => {
    const probe = new Probe(host);
    try {
      await probe.next('ready');
      const page = host.pages().at(-1);
      expect(await page?.evaluate('crossOriginIsolated')).toBe(true);
      // One interrupt, right behind the eval (it may reach the page before the worker starts),
      // against an expression that swallows the first KeyboardInterrupt.
      const source = [
        'try:',
        '    while True:',
        '        pass',
        'except KeyboardInterrupt:',
        '    pass',
        'while True:',
        '    pass',
      ].join('\n');
      const running = probe.evaluate(3, source);
      const asked = performance.now();
      expect(probe.connection.interrupt()).toBe(true);
      const done = await running;
      expect(done.outcome.error?.type).toBe('KeyboardInterrupt');
      console.info(`interrupt → done: ${(performance.now() - asked).toFixed(1)} ms`);
      // The interpreter is still usable afterwards, and a late interrupt does not leak into it.
      expect(probe.connection.interrupt()).toBe(true);
      const after = await probe.evaluate(4, 'return "still alive"');
      expect(after.outcome.result).toBe('still alive');
    } finally {
      probe.connection.kill();
    }
  });

  it('runs the worker under its own CSP: no eval, no fetch beyond its origin', async () => {
    const probe = new Probe(host);
    try {
      await probe.next('ready');
      const page = host.pages().at(-1);
      const worker = page?.workers()[0];
      expect(worker).toBeDefined();
      const target = `http://127.0.0.1:${(listener.address() as { port: number }).port}/`;
      // Run outside DevTools' evaluation (which may compile strings whatever the CSP says): in a
      // timer callback of the worker itself. A string, so vitest leaves `import()` alone.
      const attempts = await worker!.evaluate(`new Promise((done) => setTimeout(async () => {
        const results = {};
        const attempt = async (name, action) => {
          try {
            await action();
            results[name] = 'allowed';
          } catch (error) {
            results[name] = error.name;
          }
        };
        await attempt('eval', () => new Function('return 1')());
        await attempt('fetch', () => fetch(${JSON.stringify(target)}, { mode: 'no-cors' }));
        await attempt('import', () => import(${JSON.stringify(`${target}module.mjs`)}));
        await attempt('blob import', () =>
          import(URL.createObjectURL(new Blob(['export default 1'], { type: 'text/javascript' }))));
        // A blocked worker fails asynchronously: wait for the violation report instead.
        const violation = new Promise((report) =>
          self.addEventListener('securitypolicyviolation', (event) => report(event.effectiveDirective)));
        new Worker(location.href, { type: 'module' });
        results['nested worker'] = 'blocked by ' + (await violation);
        done(results);
      }, 0))`);
      expect(attempts).toEqual({
        eval: 'EvalError',
        fetch: 'TypeError',
        import: 'TypeError',
        'blob import': 'TypeError',
        'nested worker': 'blocked by worker-src',
      });
      expect(connections).toBe(0);
    } finally {
      probe.connection.kill();
    }
  });

  it('reports exit once on kill, and a new launch starts a fresh interpreter', async () => {
    const first = new Probe(host);
    await first.next('ready');
    await first.evaluate(5, 'import builtins\nbuiltins.flowbench_marker = 1\nreturn True');
    const pagesBefore = host.pages().length;
    first.connection.kill();
    first.connection.kill();
    expect(first.exits).toEqual(['killed']);
    expect(host.pages().length).toBe(pagesBefore - 1);
    // Messages to a killed host go nowhere.
    first.connection.send({
      type: 'eval',
      id: 6,
      source: 'return 1',
      filename: 'x',
      vars: '{}',
      answers: {},
      limits: LIMITS,
    });
    expect(first.connection.interrupt()).toBe(false);

    const second = new Probe(host);
    try {
      await second.next('ready');
      const done = await second.evaluate(
        7,
        'import builtins\nreturn hasattr(builtins, "flowbench_marker")',
      );
      expect(done.outcome.result).toBe(false);
    } finally {
      second.connection.kill();
    }
  });

  it('reports a page that dies on its own', async () => {
    const probe = new Probe(host);
    await probe.next('ready');
    await host.pages().at(-1)?.close();
    await expect.poll(() => probe.exits).toEqual(['page closed']);
  });
});
