import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DialogPage } from './DialogPage';
import { FlowDetailPage } from './FlowDetailPage';
import { SidebarSectionPage } from './SidebarSectionPage';

export interface NewFlow {
  name: string;
  slug?: string;
  title?: string;
  designation?: string;
  authentication?: string;
}

export interface NewUser {
  username: string;
  name?: string;
  email?: string;
  password?: string;
  active?: boolean;
}

/** The whole shell: header, sidebar, main pane and dialogs. */
export class AppPage {
  readonly root: Locator;
  readonly flows: SidebarSectionPage;
  readonly users: SidebarSectionPage;
  readonly groups: SidebarSectionPage;
  readonly main: Locator;
  readonly flow: FlowDetailPage;
  readonly banner: Locator;
  readonly themeToggle: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('app');
    this.flows = new SidebarSectionPage(page, 'flows');
    this.users = new SidebarSectionPage(page, 'users');
    this.groups = new SidebarSectionPage(page, 'groups');
    this.main = page.getByTestId('main-pane');
    this.flow = new FlowDetailPage(page);
    this.banner = page.getByTestId('connection-banner');
    this.themeToggle = page.getByTestId('theme-toggle');
  }

  /** Opens `url` in a new page of `context` and waits until the three lists have answered. */
  static async open(context: BrowserContext, url: string): Promise<AppPage> {
    const app = new AppPage(await context.newPage());
    await app.page.goto(url);
    await app.waitReady();
    return app;
  }

  /** The app-ready signal: `data-ready="true"` once flows, users and groups loaded. */
  async waitReady(): Promise<void> {
    await this.page.locator('[data-testid="app"][data-ready="true"]').waitFor();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitReady();
  }

  dialog(testId: string): DialogPage {
    return new DialogPage(this.page, testId);
  }

  async createFlow(flow: NewFlow): Promise<void> {
    const dialog = await this.openCreateFlow();
    await this.fillFlow(dialog, flow);
    await dialog.submit();
    await dialog.waitClosed();
    await this.flow.root.waitFor();
  }

  async openCreateFlow(): Promise<DialogPage> {
    await this.flows.add();
    const dialog = this.dialog('create-flow-dialog');
    await dialog.waitOpen();
    return dialog;
  }

  async fillFlow(dialog: DialogPage, flow: NewFlow): Promise<void> {
    await dialog.fill('Name', flow.name);
    if (flow.slug !== undefined) await dialog.fill('Slug', flow.slug);
    if (flow.title !== undefined) await dialog.fill('Title', flow.title);
    if (flow.designation !== undefined) await dialog.select('Designation', flow.designation);
    if (flow.authentication !== undefined)
      await dialog.select('Authentication', flow.authentication);
  }

  async createUser(user: NewUser): Promise<void> {
    await this.users.add();
    const dialog = this.dialog('create-user-dialog');
    await dialog.waitOpen();
    await dialog.fill('Username', user.username);
    if (user.name !== undefined) await dialog.fill('Name', user.name);
    if (user.email !== undefined) await dialog.fill('Email', user.email);
    if (user.password !== undefined) await dialog.fill('Password', user.password);
    if (user.active !== undefined) await dialog.setChecked('Active', user.active);
    await dialog.submit();
    await dialog.waitClosed();
    await this.page.getByTestId('user-detail').waitFor();
  }

  async createGroup(
    name: string,
    options: { parent?: string; superuser?: boolean } = {},
  ): Promise<void> {
    await this.groups.add();
    const dialog = this.dialog('create-group-dialog');
    await dialog.waitOpen();
    await dialog.fill('Name', name);
    if (options.parent !== undefined)
      await dialog.field('Parent').selectOption({ label: options.parent });
    if (options.superuser !== undefined) await dialog.setChecked('Superuser', options.superuser);
    await dialog.submit();
    await dialog.waitClosed();
    await this.page.getByTestId('group-detail').waitFor();
  }

  /** `light` / `dark`, as set on <html>. */
  async theme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-theme');
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: false });
  }
}
