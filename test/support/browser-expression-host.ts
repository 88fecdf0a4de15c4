import { existsSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  ChannelBroker,
  type ChannelBrokerOptions,
  channelHostFactory,
  type PageLauncher,
} from '../../src/main/expressions/browser-channel/channel-broker';
import { type ExpressionHostFactory } from '../../src/main/expressions/host';
import { WASM_MAX_PAGES } from '../../src/main/expressions/node-host/factory';
import { launchBrowser } from '../e2e/support/browser';
import { repoRoot } from '../e2e/support/serve';

/*
 * The browser expression host outside Electron: the same channel broker behind a plain Node
 * HTTP server on 127.0.0.1, and the same built page (out/renderer/expression-host/) opened in
 * Debian Chromium by Playwright, standing in for Electron's hidden sandboxed renderer. Every
 * launch gets a fresh browser context (its own renderer), closed on kill.
 */

export const builtPageDir = join(repoRoot, 'out/renderer/expression-host');
export const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

export interface LoopbackBroker {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly broker: ChannelBroker;
  close(): Promise<void>;
}

function requestHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) result.append(name, item);
  }
  return result;
}

/** The broker behind Node's HTTP server, on 127.0.0.1 only, refusing foreign Host headers. */
export async function startLoopbackBroker(
  options: Partial<ChannelBrokerOptions> = {},
): Promise<LoopbackBroker> {
  if (!existsSync(join(options.pageDir ?? builtPageDir, 'index.html'))) {
    throw new Error('The expression host page is not built: run `npx electron-vite build`.');
  }
  const broker = new ChannelBroker({ pageDir: builtPageDir, pyodideDir, ...options });
  let host = '';
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== host) {
      res.writeHead(403).end();
      return;
    }
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const request = new Request(`http://${host}${req.url ?? '/'}`, {
      method,
      headers: requestHeaders(req.headers),
      ...(hasBody
        ? { body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>, duplex: 'half' }
        : {}),
    } as RequestInit);
    const response = await broker.handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  return {
    origin: `http://${host}`,
    broker,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export interface BrowserExpressionHost extends ExpressionHostFactory {
  readonly origin: string;
  readonly broker: ChannelBroker;
  readonly browser: Browser;
  /** The Playwright pages of the hosts that are running now (newest last). */
  pages(): Page[];
  /** Kills every host, stops the server and (when it launched it) the browser. */
  close(): Promise<void>;
}

/**
 * An `ExpressionHostFactory` (kind `chromium-playwright`) for the expression runtime: the
 * browser host in Debian Chromium. Needs the built page (`npx electron-vite build`).
 */
export async function startBrowserExpressionHost(
  options: { browser?: Browser; pollTimeoutMs?: number } = {},
): Promise<BrowserExpressionHost> {
  const loopback = await startLoopbackBroker(
    options.pollTimeoutMs === undefined ? {} : { pollTimeoutMs: options.pollTimeoutMs },
  );
  // The same wasm memory cap the desktop app sets for its renderers (src/main/index.ts).
  const browser = options.browser ?? (await launchBrowser([`--js-flags=--wasm-max-mem-pages=${WASM_MAX_PAGES}`]));
  const live = new Map<BrowserContext, Page | null>();

  const launcher: PageLauncher = {
    open(pagePath, gone) {
      let closed = false;
      let context: BrowserContext | null = null;
      void (async () => {
        try {
          const opened = await browser.newContext();
          context = opened;
          if (closed) {
            await opened.close();
            return;
          }
          live.set(opened, null);
          const page = await opened.newPage();
          live.set(opened, page);
          page.on('crash', () => gone('page crashed'));
          page.on('close', () => gone('page closed'));
          await page.goto(`${loopback.origin}${pagePath}`);
        } catch (error) {
          if (!closed)
            gone(
              `could not open the page: ${error instanceof Error ? error.message : String(error)}`,
            );
        }
      })();
      return {
        close() {
          if (closed) return;
          closed = true;
          if (context) {
            live.delete(context);
            context.close().catch(() => undefined);
          }
        },
      };
    },
  };
  const factory = channelHostFactory('chromium-playwright', loopback.broker, launcher);

  return {
    kind: factory.kind,
    launch: (listener) => factory.launch(listener),
    origin: loopback.origin,
    broker: loopback.broker,
    browser,
    pages: () => [...live.values()].filter((page): page is Page => page !== null),
    close: async () => {
      await Promise.all([...live.keys()].map((context) => context.close().catch(() => undefined)));
      live.clear();
      if (!options.browser) await browser.close();
      await loopback.close();
    },
  };
}
