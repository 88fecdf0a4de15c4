import { type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './pages/AppPage';
import { launchBrowser, newContext } from './support/browser';
import { screenshotPath } from './support/screenshots';
import { apiClient, seedShowcase } from './support/seed';
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

describe('themes', () => {
  it('follows prefers-color-scheme, toggles, and keeps the choice across a reload', async () => {
    session = await openSession(browser, { colorScheme: 'light' });
    const { app } = session;
    expect(await app.theme()).toBe('light');
    await app.themeToggle.click();
    expect(await app.theme()).toBe('dark');
    expect(await app.themeToggle.getAttribute('aria-label')).toBe('Switch to light theme');
    await app.reload();
    expect(await app.theme()).toBe('dark');
    await app.themeToggle.click();
    expect(await app.theme()).toBe('light');

    // A new profile on a dark system starts dark without any stored choice.
    const dark = await newContext(browser, 'dark');
    try {
      const other = await AppPage.open(dark, session.server.url);
      expect(await other.theme()).toBe('dark');
    } finally {
      await dark.close();
    }
  });

  it('screenshots the shell with data in light and dark', async () => {
    session = await openSession(browser, { colorScheme: 'light' });
    const { app, server } = session;
    await app.screenshot(screenshotPath('empty-light'));

    const api = apiClient(server);
    let mainFlowSlug: string;
    try {
      ({ mainFlowSlug } = await seedShowcase(api.client));
    } finally {
      api.close();
    }
    await app.reload();
    expect(await app.flows.items().count()).toBe(8);
    await app.flows.item(`flow-item-${mainFlowSlug}`).click();
    await app.page.getByTestId('bindings-table').waitFor();
    expect(await app.page.getByTestId('bindings-table').locator('tbody tr').count()).toBe(3);
    await app.screenshot(screenshotPath('shell-light'));
    await app.main.evaluate((pane) => pane.scrollTo(0, pane.scrollHeight));
    await app.screenshot(screenshotPath('shell-light-bindings'));
    await app.main.evaluate((pane) => pane.scrollTo(0, 0));

    await app.themeToggle.click();
    expect(await app.theme()).toBe('dark');
    await app.screenshot(screenshotPath('shell-dark'));

    await app.users.item('user-item-akadmin').click();
    await app.page.getByTestId('user-detail').waitFor();
    await app.screenshot(screenshotPath('user-dark'));

    await app.groups.item('group-item-authentik Admins').click();
    await app.page.getByTestId('group-members').waitFor();
    await app.screenshot(screenshotPath('group-dark'));

    const dialog = await app.openCreateFlow();
    await app.fillFlow(dialog, { name: 'Default authentication flow' });
    await dialog.submit();
    await dialog.problem().waitFor();
    await dialog.fieldError('slug').waitFor();
    await app.screenshot(screenshotPath('dialog-error-dark'));
    await dialog.cancel();

    await app.themeToggle.click();
    await app.flows.item('flow-item-default-enrollment-invitation-email-verification').click();
    await app.page.getByTestId('bindings-empty').waitFor();
    await app.screenshot(screenshotPath('long-name-light'));
  });
});
