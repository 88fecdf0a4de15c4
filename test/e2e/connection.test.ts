import { type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './pages/AppPage';
import { launchBrowser, newContext } from './support/browser';
import { screenshotPath } from './support/screenshots';
import { apiClient } from './support/seed';
import { openSession, type Session } from './support/session';

let browser: Browser;
let session: Session | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await session?.close();
  session = null;
});

describe('connection to flowbench serve', () => {
  it('follows changes made elsewhere through workspace.changed events', async () => {
    session = await openSession(browser);
    const { app, server } = session;
    const api = apiClient(server);
    try {
      await api.client.call('flows.create', {
        name: 'Made by the CLI',
        slug: 'from-elsewhere',
        title: '',
        designation: 'recovery',
      });
      await app.flows.item('flow-item-from-elsewhere').waitFor();
      await app.flows.item('flow-item-from-elsewhere').click();
      const flow = await api.client.call('flows.list');
      await api.client.call('flows.update', {
        pk: flow[0]!.pk,
        patch: { name: 'Renamed elsewhere' },
      });
      await expect.poll(() => app.flow.title.innerText()).toBe('Renamed elsewhere');
      expect(await app.flow.settings.field('Name').inputValue()).toBe('Renamed elsewhere');
    } finally {
      api.close();
    }
  });

  it('shows a banner when the server goes away', async () => {
    session = await openSession(browser);
    const { app, server } = session;
    expect(await app.banner.count()).toBe(0);
    await server.stop();
    await app.banner.waitFor();
    expect(await app.banner.innerText()).toContain('Cannot reach Flowbench.');
    await app.screenshot(screenshotPath('offline-light'));
  });

  it('talks through window.api when a preload bridge is present (the desktop path)', async () => {
    session = await openSession(browser);
    const { server } = session;
    // A stand-in for src/preload: the PreloadApi shape, answering envelopes. It forwards to
    // the test's server so there is real data behind it, and counts the calls it carried.
    const bridge = `
      window.__bridgeCalls = 0;
      window.api = Object.freeze({
        procedures: new Proxy({}, {
          get: (_target, name) => async (input) => {
            window.__bridgeCalls++;
            const response = await fetch(${JSON.stringify(server.origin)} + '/rpc/' + String(name), {
              method: 'POST',
              headers: { Authorization: 'Bearer ' + ${JSON.stringify(server.token)}, 'Content-Type': 'application/json' },
              body: input === undefined ? undefined : JSON.stringify(input),
            });
            return response.json();
          },
        }),
        on: () => () => {},
      });`;
    const api = apiClient(server);
    const context = await newContext(browser);
    try {
      await api.client.call('flows.create', {
        name: 'Via the bridge',
        slug: 'via-bridge',
        title: '',
        designation: 'authentication',
      });
      await context.addInitScript({ content: bridge });
      // No token in the address: the desktop app never has one.
      const app = await AppPage.open(context, `${server.origin}/`);
      await app.flows.item('flow-item-via-bridge').waitFor();
      expect(await app.banner.count()).toBe(0);
      expect(await app.page.evaluate('window.__bridgeCalls')).toBeGreaterThanOrEqual(3);
      expect(await app.page.getByText('browser', { exact: true }).count()).toBe(0);
    } finally {
      api.close();
      await context.close();
    }
  });

  it('explains a missing token instead of showing empty lists', async () => {
    session = await openSession(browser);
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${session.server.origin}/`);
      const app = new AppPage(page);
      await app.waitReady();
      await app.banner.waitFor();
      expect(await app.banner.innerText()).toContain('No access token');
    } finally {
      await context.close();
    }
  });
});
