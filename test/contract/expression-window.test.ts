import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeBrowserWindow,
  FakeSession,
  fakeEvent,
  type PermissionCheckHandler,
  type PermissionRequestHandler,
} from '../unit/app/fake-electron';

/*
 * The desktop app's expression host window (src/main/app/expression-window.ts) against a fake
 * `electron`: what it asks Electron for (a hidden sandboxed window without preload, on its own
 * in-memory session that denies every permission and reaches nothing but its own scheme) and
 * how it reports the host's end. The page and worker it serves run for real in
 * test/e2e/expressions-browser-host.test.ts.
 */

type Handler = (request: Request) => Response | Promise<Response>;

class ExpressionSession extends FakeSession {
  readonly handled = new Map<string, Handler>();
  readonly protocol = {
    handle: (scheme: string, handler: Handler) => {
      this.handled.set(scheme, handler);
    },
  };
  beforeRequest:
    | ((details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void)
    | null = null;
  override readonly webRequest = {
    onHeadersReceived: () => undefined,
    onBeforeRequest: (listener: NonNullable<ExpressionSession['beforeRequest']>) => {
      this.beforeRequest = listener;
    },
  };
  readonly listeners = new Map<string, (event: ReturnType<typeof fakeEvent>) => void>();
  on(name: string, listener: (event: ReturnType<typeof fakeEvent>) => void): void {
    this.listeners.set(name, listener);
  }
  /** Whether the session lets a request through. */
  allows(url: string): boolean {
    let cancel: boolean | undefined;
    this.beforeRequest?.({ url }, (response) => (cancel = response.cancel));
    return cancel === false;
  }
}

class ExpressionWindow extends FakeBrowserWindow {
  crashed = 0;
  constructor(options: ConstructorParameters<typeof FakeBrowserWindow>[0]) {
    super(options);
    Object.assign(this.webContents, {
      forcefullyCrashRenderer: () => {
        this.crashed += 1;
      },
    });
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

const electron = vi.hoisted(() => ({
  sessions: new Map<string, unknown>(),
  partitions: [] as Array<{ name: string; options: unknown }>,
  schemes: [] as unknown[],
}));

vi.mock('electron', async () => ({
  BrowserWindow: ExpressionWindow,
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => electron.schemes.push(...schemes),
  },
  session: {
    fromPartition: (name: string, options: unknown) => {
      electron.partitions.push({ name, options });
      let existing = electron.sessions.get(name);
      if (!existing) {
        existing = new ExpressionSession();
        electron.sessions.set(name, existing);
      }
      return existing;
    },
  },
}));

const {
  createExpressionWindowFactory,
  EXPRESSION_PARTITION,
  EXPRESSION_SCHEME,
  registerExpressionScheme,
} = await import('../../src/main/app/expression-window');

const pageDir = mkdtempSync(join(tmpdir(), 'flowbench-expression-page-'));
writeFileSync(join(pageDir, 'index.html'), '<!doctype html><title>host</title>');
afterAll(() => rmSync(pageDir, { recursive: true, force: true }));

function launch() {
  const factory = createExpressionWindowFactory({
    pageDir,
    pyodideDir: join(pageDir, 'no-pyodide'),
  });
  const messages: unknown[] = [];
  const exits: string[] = [];
  const connection = factory.launch({
    message: (raw) => messages.push(raw),
    exit: (reason) => exits.push(reason),
  });
  const window = FakeBrowserWindow.created.at(-1) as ExpressionWindow;
  const session = electron.sessions.get(EXPRESSION_PARTITION) as ExpressionSession;
  return { factory, connection, messages, exits, window, session };
}

beforeEach(() => {
  FakeBrowserWindow.created.length = 0;
  electron.sessions.clear();
  electron.partitions.length = 0;
});

describe('expression scheme', () => {
  it('is registered privileged: standard, secure, fetch; no CSP bypass, no service workers', () => {
    registerExpressionScheme();
    expect(electron.schemes).toEqual([
      {
        scheme: EXPRESSION_SCHEME,
        privileges: expect.objectContaining({
          standard: true,
          secure: true,
          supportFetchAPI: true,
          bypassCSP: false,
          allowServiceWorkers: false,
          corsEnabled: false,
        }),
      },
    ]);
  });
});

describe('expression host window', () => {
  it('is hidden, sandboxed, isolated, without Node and without preload, on its own partition', () => {
    const { factory, window } = launch();
    expect(factory.kind).toBe('electron-renderer');
    expect(window.options.show).toBe(false);
    const preferences = window.options.webPreferences ?? {};
    expect(preferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
      partition: EXPRESSION_PARTITION,
    });
    expect(preferences).not.toHaveProperty('preload');
    expect(EXPRESSION_PARTITION).not.toMatch(/^persist:/);
    expect(window.loaded).toHaveLength(1);
    expect(window.loaded[0]).toMatch(
      new RegExp(
        `^${EXPRESSION_SCHEME}://host/expression-host/index\\.html\\?channel=[A-Za-z0-9_-]{20,}$`,
      ),
    );
  });

  it('denies every permission on its session', () => {
    const { session } = launch();
    const request = session.requestHandler as PermissionRequestHandler;
    const check = session.checkHandler as PermissionCheckHandler;
    for (const permission of [
      'media',
      'notifications',
      'clipboard-read',
      'geolocation',
      'fileSystem',
    ]) {
      let granted: boolean | null = null;
      request(null, permission, (answer) => (granted = answer), {});
      expect(granted, permission).toBe(false);
      expect(check(null, permission, `${EXPRESSION_SCHEME}://host`, {}), permission).toBe(false);
    }
    expect(session.deviceHandler?.({})).toBe(false);
  });

  it('lets no request leave its scheme, and downloads nothing', () => {
    const { session } = launch();
    expect(session.allows(`${EXPRESSION_SCHEME}://host/pyodide/pyodide.mjs`)).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1/',
      'file:///etc/passwd',
      `${EXPRESSION_SCHEME}://other/`,
      `${EXPRESSION_SCHEME}://host.evil/`,
      'data:text/html,<p>',
    ]) {
      expect(session.allows(url), url).toBe(false);
    }
    const download = fakeEvent();
    session.listeners.get('will-download')?.(download);
    expect(download.defaultPrevented).toBe(true);
    expect(electron.partitions).toEqual([
      { name: EXPRESSION_PARTITION, options: { cache: false } },
    ]);
  });

  it('never navigates and never opens a window', () => {
    const { window } = launch();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(
        window.webContents.attempt(event, `${EXPRESSION_SCHEME}://host/expression-host/index.html`),
        event,
      ).toBe(true);
      expect(window.webContents.attempt(event, 'https://example.com/'), event).toBe(true);
    }
    expect(window.webContents.openHandler?.({ url: `${EXPRESSION_SCHEME}://host/` })).toEqual({
      action: 'deny',
    });
  });

  it('serves its page and relays the channel through the broker', async () => {
    const { connection, messages, session, window } = launch();
    const handle = session.handled.get(EXPRESSION_SCHEME);
    expect(handle).toBeDefined();
    const page = await handle!(
      new Request(`${EXPRESSION_SCHEME}://host/expression-host/index.html`),
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(
      (await handle!(new Request(`${EXPRESSION_SCHEME}://host/pyodide/../../etc/passwd`))).status,
    ).toBe(404);

    const channel = new URL(window.loaded[0]!).searchParams.get('channel');
    const base = `${EXPRESSION_SCHEME}://host/channel/${channel}`;
    const post = (body: unknown) =>
      handle!(new Request(`${base}/post`, { method: 'POST', body: JSON.stringify(body) }));
    expect(connection.interrupt()).toBe(false);
    expect((await post({ kind: 'hello', interruptible: true })).status).toBe(204);
    expect((await post({ kind: 'message', message: { type: 'ready' } })).status).toBe(204);
    expect(messages).toEqual([{ type: 'ready' }]);

    connection.send({ type: 'eval', id: 1 });
    expect(connection.interrupt()).toBe(true);
    const next = async () => (await handle!(new Request(`${base}/next`))).json();
    expect(await next()).toEqual({ kind: 'message', message: { type: 'eval', id: 1 } });
    expect(await next()).toEqual({ kind: 'interrupt' });
    connection.kill();
  });

  it('kills the renderer on kill, reports exit once, and launches a fresh window next time', () => {
    const { factory, connection, exits, window } = launch();
    connection.kill();
    connection.kill();
    expect(window.crashed).toBe(1);
    expect(window.destroyed).toBe(true);
    expect(exits).toEqual(['killed']);
    expect(connection.interrupt()).toBe(false);

    factory.launch({ message: () => undefined, exit: () => undefined });
    expect(FakeBrowserWindow.created).toHaveLength(2);
    expect(FakeBrowserWindow.created[1]?.destroyed).toBe(false);
  });

  it('reports a renderer that died (a memory bomb, a crash) and closes its window', () => {
    const { exits, window } = launch();
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'oom', exitCode: 9 });
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'oom', exitCode: 9 });
    expect(exits).toEqual(['renderer gone (oom)']);
    expect(window.destroyed).toBe(true);
  });

  it('reports a page that failed to load', () => {
    const { exits } = launch();
    const window = FakeBrowserWindow.created.at(-1)!;
    window.webContents.emit('did-fail-load', fakeEvent(), -6, 'ERR_FILE_NOT_FOUND', 'x', false);
    expect(exits).toEqual([]);
    window.webContents.emit('did-fail-load', fakeEvent(), -6, 'ERR_FILE_NOT_FOUND', 'x', true);
    expect(exits).toEqual(['page failed to load (-6 ERR_FILE_NOT_FOUND)']);
  });

  it('closes every live host window on dispose', () => {
    const { factory, exits, window } = launch();
    factory.launch({ message: () => undefined, exit: (reason) => exits.push(reason) });
    factory.dispose();
    expect(FakeBrowserWindow.created.every((created) => created.destroyed)).toBe(true);
    expect(window.destroyed).toBe(true);
    expect(exits).toEqual(['window closed', 'window closed']);
  });
});
