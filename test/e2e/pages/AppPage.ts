import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DialogPage } from './DialogPage';
import { ExportDialogPage } from './ExportDialogPage';
import { FlowDetailPage } from './FlowDetailPage';
import { ImportDialogPage } from './ImportDialogPage';
import { SidebarSectionPage } from './SidebarSectionPage';

export interface NewFlow {
  name: string;
  slug?: string;
  title?: string;
  designation?: string;
  authentication?: string;
}

/** A file made up by a test, dropped onto the window. */
export interface DroppedFile {
  name: string;
  text: string;
}

/** The browser globals `dropFiles` uses inside the page. */
interface PageGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: string[], name: string, options: { type: string }) => unknown;
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
  readonly blueprints: SidebarSectionPage;
  readonly main: Locator;
  readonly flow: FlowDetailPage;
  readonly banner: Locator;
  readonly themeToggle: Locator;
  /** The hidden `<input type=file>` behind every "Import blueprint…" action. */
  readonly blueprintInput: Locator;
  readonly importDialog: ImportDialogPage;
  readonly exportDialog: ExportDialogPage;
  readonly dropOverlay: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('app');
    this.flows = new SidebarSectionPage(page, 'flows');
    this.users = new SidebarSectionPage(page, 'users');
    this.groups = new SidebarSectionPage(page, 'groups');
    this.blueprints = new SidebarSectionPage(page, 'blueprints');
    this.main = page.getByTestId('main-pane');
    this.flow = new FlowDetailPage(page);
    this.banner = page.getByTestId('connection-banner');
    this.themeToggle = page.getByTestId('theme-toggle');
    this.blueprintInput = page.getByTestId('blueprint-file-input');
    this.importDialog = new ImportDialogPage(page);
    this.exportDialog = new ExportDialogPage(page);
    this.dropOverlay = page.getByTestId('drop-overlay');
    this.notice = page.getByTestId('notice');
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

  /** Picks blueprint files as the file picker would; resolves once the dry run answered. */
  async importFiles(paths: string[]): Promise<ImportDialogPage> {
    await this.blueprintInput.setInputFiles(paths);
    await this.importDialog.waitChecked();
    return this.importDialog;
  }

  /**
   * Drags `files` over the main pane and drops them, as a file manager would: a DataTransfer
   * built in the page carries real File objects. `beforeDrop` runs while the drag is over.
   */
  async dropFiles(files: DroppedFile[], beforeDrop?: () => Promise<void>): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle((list) => {
      // Runs in the page; the test's own types are Node's, which have no DataTransfer.
      const page = globalThis as unknown as PageGlobals;
      const transfer = new page.DataTransfer();
      for (const file of list) {
        transfer.items.add(new page.File([file.text], file.name, { type: 'application/yaml' }));
      }
      return transfer;
    }, files);
    try {
      await this.main.dispatchEvent('dragenter', { dataTransfer });
      await this.main.dispatchEvent('dragover', { dataTransfer });
      await beforeDrop?.();
      await this.main.dispatchEvent('drop', { dataTransfer });
    } finally {
      await dataTransfer.dispose();
    }
  }

  /** `light` / `dark`, as set on <html>. */
  async theme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-theme');
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: false });
  }
}
