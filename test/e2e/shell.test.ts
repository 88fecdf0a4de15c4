import { type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage } from './pages/AppPage';
import { launchBrowser } from './support/browser';
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

async function open(): Promise<AppPage> {
  session = await openSession(browser);
  return session.app;
}

describe('the shell against flowbench serve', () => {
  it('greets an empty workspace with calls to action and takes the token out of the URL', async () => {
    const app = await open();
    await app.page.getByTestId('welcome-empty').waitFor();
    expect(await app.flows.root.innerText()).toContain('No flows yet');
    expect(await app.users.root.innerText()).toContain('No users yet');
    expect(await app.groups.root.innerText()).toContain('No groups yet');
    expect(app.page.url()).not.toContain('token');
    expect(await app.banner.count()).toBe(0);

    // Sections fold away and come back.
    const usersToggle = app.page.getByTestId('users-toggle');
    await usersToggle.click();
    expect(await usersToggle.getAttribute('aria-expanded')).toBe('false');
    expect(await app.users.root.getByText('No users yet').isVisible()).toBe(false);
    await usersToggle.click();
    expect(await app.users.root.getByText('No users yet').isVisible()).toBe(true);

    await app.page.getByRole('button', { name: 'Create your first flow' }).click();
    await app.dialog('create-flow-dialog').waitOpen();
  });

  it('creates a flow and a user with a password; both are still there after a reload', async () => {
    const app = await open();
    const dialog = await app.openCreateFlow();
    await app.fillFlow(dialog, {
      name: 'Default Authentication Flow',
      designation: 'authentication',
      authentication: 'require_unauthenticated',
    });
    expect(await dialog.field('Slug').inputValue()).toBe('default-authentication-flow');
    await dialog.submit();
    await dialog.waitClosed();
    expect(await app.flow.title.innerText()).toBe('Default Authentication Flow');
    expect(await app.flow.slug.innerText()).toBe('default-authentication-flow');
    await app.page.getByTestId('placeholder-graph').waitFor();
    await app.page.getByTestId('placeholder-preview').waitFor();

    await app.createUser({
      username: 'akadmin',
      name: 'authentik Default Admin',
      email: 'admin@example.com',
      password: 'correct horse',
    });
    expect(await app.page.getByTestId('password-status').innerText()).toContain(
      'A password is set',
    );

    await app.reload();
    const row = app.flows.item('flow-item-default-authentication-flow');
    await row.waitFor();
    expect(await row.innerText()).toContain('Authentication');
    expect(await row.innerText()).toContain('signed out');
    await app.users.item('user-item-akadmin').click();
    expect(await app.page.getByTestId('password-status').innerText()).toContain(
      'A password is set',
    );
    expect(
      await app.page.getByTestId('user-form').getByLabel('Email', { exact: true }).inputValue(),
    ).toBe('admin@example.com');
  });

  it('shows the error for a duplicate slug and keeps the dialog open', async () => {
    const app = await open();
    await app.createFlow({ name: 'Enrollment', designation: 'enrollment' });
    const dialog = await app.openCreateFlow();
    await app.fillFlow(dialog, { name: 'Another enrollment', slug: 'enrollment' });
    await dialog.submit();
    await dialog.problem().waitFor();
    expect(await dialog.problem().innerText()).toMatch(/slug "enrollment" already exists/);
    expect(await dialog.fieldError('slug').innerText()).toMatch(/slug "enrollment" already exists/);
    await dialog.waitOpen();

    // A malformed slug is refused by the contract's schema, shown next to the field.
    await dialog.fill('Slug', 'not a slug!');
    await dialog.submit();
    await dialog.fieldError('slug').waitFor();
    expect(await dialog.fieldError('slug').innerText()).toMatch(
      /letters, numbers, hyphens and underscores/i,
    );

    await dialog.fill('Slug', 'enrollment-2');
    await dialog.submit();
    await dialog.waitClosed();
    // The dialog closes once the list shows the new flow (useMutation waits for the refetch).
    expect(await app.flows.itemNames()).toEqual(['Enrollment', 'Another enrollment']);
    expect(await app.flow.slug.innerText()).toBe('enrollment-2');
  });

  it('deletes a flow only after confirmation', async () => {
    const app = await open();
    await app.createFlow({ name: 'Logout', designation: 'invalidation' });
    await app.createFlow({ name: 'Recovery', designation: 'recovery' });

    let confirm = await app.flow.askDelete();
    expect(await confirm.root.innerText()).toContain('Recovery');
    await confirm.cancel();
    await confirm.waitClosed();
    expect(await app.flows.itemNames()).toEqual(['Logout', 'Recovery']);

    confirm = await app.flow.askDelete();
    await confirm.root.getByTestId('confirm-delete').click();
    await confirm.waitClosed();
    await app.flows.item('flow-item-recovery').waitFor({ state: 'detached' });
    expect(await app.flows.itemNames()).toEqual(['Logout']);
    await app.page.getByTestId('welcome').waitFor();

    await app.reload();
    expect(await app.flows.itemNames()).toEqual(['Logout']);
  });

  it('renames, duplicates and edits a flow', async () => {
    const app = await open();
    await app.createFlow({ name: 'Login', slug: 'login' });
    await app.flow.rename('Login (password)');
    await expect.poll(() => app.flow.title.innerText()).toBe('Login (password)');
    expect(await app.flow.slug.innerText()).toBe('login');

    await app.flow.duplicate('Login copy', 'login-copy');
    await expect.poll(() => app.flow.slug.innerText()).toBe('login-copy');
    expect(await app.flows.itemNames()).toEqual(['Login (password)', 'Login copy']);

    await app.flow.settings.select('Designation', 'enrollment');
    await app.flow.settings.fill('Title', 'Welcome, %(user)s');
    await app.flow.save();
    await expect
      .poll(() => app.flows.item('flow-item-login-copy').innerText())
      .toContain('Enrollment');
    await app.reload();
    await app.flows.item('flow-item-login-copy').click();
    expect(await app.flow.settings.field('Title').inputValue()).toBe('Welcome, %(user)s');
  });

  it('manages users and groups: edit, group membership, password, delete', async () => {
    const app = await open();
    await app.createGroup('staff');
    await app.createGroup('admins', { parent: 'staff', superuser: true });
    expect(await app.groups.item('group-item-admins').innerText()).toContain('in staff');

    await app.createUser({ username: 'jdoe', password: 'hunter2', active: false });
    expect(await app.users.item('user-item-jdoe').innerText()).toContain('inactive');
    const form = app.dialog('user-form');
    await form.fill('Name', 'Jane Doe');
    await form.setChecked('Active', true);
    await form.root.getByText('admins', { exact: true }).click();
    await form.root.getByTestId('save').click();
    await expect.poll(() => app.users.item('user-item-jdoe').innerText()).toContain('Jane Doe');
    expect(await app.users.item('user-item-jdoe').innerText()).not.toContain('inactive');

    await app.groups.item('group-item-admins').click();
    await app.page.getByTestId('group-members').getByText('jdoe').waitFor();

    await app.users.item('user-item-jdoe').click();
    await app.page.getByTestId('set-password').click();
    const password = app.dialog('set-password-dialog');
    await password.fill('New password', 'n3w-secret');
    await password.fill('Repeat password', 'typo');
    await password.fieldError('confirm').waitFor();
    await password.fill('Repeat password', 'n3w-secret');
    await password.submit();
    await password.waitClosed();

    await app.page.getByTestId('delete-user').click();
    const confirm = app.dialog('confirm-delete-dialog');
    await confirm.root.getByTestId('confirm-delete').click();
    await confirm.waitClosed();
    await app.users.item('user-item-jdoe').waitFor({ state: 'detached' });
  });

  it('closes a dialog on Escape, keeps focus inside it and gives focus back', async () => {
    const app = await open();
    await app.page.getByTestId('flows-add').focus();
    await app.page.keyboard.press('Enter');
    const dialog = app.dialog('create-flow-dialog');
    await dialog.waitOpen();
    expect(await dialog.field('Name').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(
      true,
    );
    for (let i = 0; i < 12; i++) await app.page.keyboard.press('Tab');
    expect(await dialog.root.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(
      true,
    );
    await app.page.keyboard.press('Escape');
    await dialog.waitClosed();
    expect(
      await app.page
        .getByTestId('flows-add')
        .evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
  });
});
