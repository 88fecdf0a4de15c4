import { type Browser, type BrowserContext } from 'playwright-core';
import { AppPage } from '../pages/AppPage';
import { newContext } from './browser';
import { type ServeHandle, startServe, tempWorkspace } from './serve';

/** One test's world: its own workspace file, its own `flowbench serve`, a fresh browser profile. */
export interface Session {
  readonly server: ServeHandle;
  readonly context: BrowserContext;
  readonly app: AppPage;
  close(): Promise<void>;
}

export async function openSession(
  browser: Browser,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<Session> {
  const workspace = tempWorkspace();
  let server: ServeHandle | null = null;
  let context: BrowserContext | null = null;
  const errors: string[] = [];
  let app: AppPage;
  try {
    server = await startServe(workspace.dbPath);
    context = await newContext(browser, options.colorScheme);
    context.on('weberror', (error) => errors.push(error.error().message));
    app = await AppPage.open(context, server.url);
  } catch (error) {
    // Never leave a server or a temp folder behind when the start itself failed.
    await context?.close();
    await server?.stop();
    workspace.remove();
    throw error;
  }
  return {
    server,
    context,
    app,
    async close() {
      await context.close();
      await server.stop();
      workspace.remove();
      if (errors.length > 0) throw new Error(`Uncaught errors in the page:\n${errors.join('\n')}`);
    },
  };
}
