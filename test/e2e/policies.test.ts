import { type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SidebarSectionPage } from './pages/SidebarSectionPage';
import { launchBrowser } from './support/browser';
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

const EXPRESSION = [
  '# Only members of the admin group',
  'if request.user.is_anonymous:',
  '    ak_message("Sign in first")',
  '    return False',
  'return ak_is_group_member(request.user, name="authentik Admins")',
].join('\n');

describe('policies', () => {
  it('lists policies, shows their config and runs a policy test (PASS)', async () => {
    session = await openSession(browser, { colorScheme: 'light' });
    const { app, server } = session;
    const api = apiClient(server);
    try {
      await api.client.call('policies.create', {
        name: 'always-allow',
        kind: 'authentik_policies_dummy.dummypolicy',
        config: { result: true, wait_min: 0, wait_max: 1 },
      });
      await api.client.call('policies.create', {
        name: 'admins-only',
        kind: 'authentik_policies_expression.expressionpolicy',
        config: { expression: EXPRESSION },
      });
      await api.client.call('policies.create', {
        name: 'broken',
        kind: 'authentik_policies_expression.expressionpolicy',
        config: { expression: 'print("checking", request.user.username)\nreturn undefined_name' },
      });
      await api.client.call('users.create', { username: 'akadmin', name: 'authentik Default Admin' });
    } finally {
      api.close();
    }
    await app.reload();
    const policies = new SidebarSectionPage(app.page, 'policies');
    expect(await policies.itemNames()).toEqual(['admins-only', 'always-allow', 'broken']);
    expect(await policies.root.locator('.sidebar-item-secondary').allInnerTexts()).toEqual(['Expression Policy', 'Dummy Policy', 'Expression Policy']);

    // A non-expression policy: its settings, then a test as akadmin → PASS.
    await policies.item('policy-item-always-allow').click();
    const detail = app.page.getByTestId('policy-detail');
    await detail.waitFor();
    expect(await app.page.getByTestId('detail-title').innerText()).toBe('always-allow');
    expect(await app.page.getByTestId('policy-config-table').innerText()).toContain('wait_max');
    await app.page.getByTestId('field-user').selectOption({ label: 'akadmin' });
    await app.page.getByTestId('run-policy-test').click();
    const verdict = app.page.getByTestId('policy-test-verdict');
    await verdict.waitFor();
    expect(await verdict.innerText()).toBe('PASS');
    expect(await app.page.getByTestId('policy-test-messages').innerText()).toBe('dummy');
    expect(await app.page.getByTestId('policy-test-result').innerText()).toContain('as akadmin, IP 127.0.0.1');
    await app.screenshot(screenshotPath('policy-test-pass-light'));

    // A context that is not a JSON object is refused at the field, without a call.
    await app.page.getByTestId('field-context').fill('[1, 2]');
    await app.page.getByTestId('run-policy-test').click();
    expect(await app.page.getByTestId('policy-test-form').getByTestId('field-error').innerText()).toContain('JSON object');

    // An expression policy runs in real Python: akadmin is not in "authentik Admins" → FAIL.
    await policies.item('policy-item-admins-only').click();
    const source = app.page.getByTestId('expression-source');
    await source.waitFor();
    expect(await source.locator('.code-line').count()).toBe(5);
    expect(await source.locator('.code-line-number').first().innerText()).toBe('1');
    // Opening an expression policy starts loading Python; the line says when it is ready.
    await app.page.locator('[data-testid="expression-runtime-status"][data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await app.page.getByTestId('expression-runtime-status').innerText()).toMatch(/^Python 3\.\d+\.\d+ \(Pyodide [\d.]+\) is ready in an isolated child process/);
    await app.page.getByTestId('field-user').selectOption({ label: 'akadmin' });
    await app.page.getByTestId('run-policy-test').click();
    await app.page.getByTestId('policy-test-verdict').waitFor({ timeout: 30_000 });
    expect(await app.page.getByTestId('policy-test-verdict').innerText()).toBe('FAIL');
    expect(await app.page.getByTestId('policy-test-unavailable').count()).toBe(0);
    await app.screenshot(screenshotPath('policy-test-expression-light'));

    // An expression that raises: the error, its line highlighted in the source, print output.
    await policies.item('policy-item-broken').click();
    await app.page.getByTestId('expression-source').waitFor();
    await app.page.getByTestId('run-policy-test').click();
    await app.page.getByTestId('policy-test-verdict').waitFor({ timeout: 30_000 });
    expect(await app.page.getByTestId('policy-test-verdict').innerText()).toBe('FAIL');
    expect(await app.page.getByTestId('policy-test-result').innerText()).toContain("name 'undefined_name' is not defined");
    expect(await app.page.getByTestId('policy-test-result').innerText()).toContain('checking');
    expect(await app.page.locator('.code-line.is-error .code-line-number').innerText()).toBe('2');
    await app.screenshot(screenshotPath('policy-test-error-light'));
    await app.main.evaluate((pane) => pane.scrollTo(0, 0));
    await app.screenshot(screenshotPath('policy-expression-source-light'));
  });
});
