import { type Locator, type Page } from 'playwright-core';
import { DialogPage } from './DialogPage';

/** The main pane while a flow is selected. */
export class FlowDetailPage {
  readonly root: Locator;
  readonly title: Locator;
  readonly slug: Locator;
  readonly settings: DialogPage;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('flow-detail');
    this.title = this.root.getByTestId('detail-title');
    this.slug = this.root.getByTestId('detail-slug');
    // The settings form is not a dialog, but it is read and filled the same way.
    this.settings = new DialogPage(page, 'flow-settings-form');
  }

  async rename(name: string): Promise<void> {
    await this.root.getByTestId('rename-flow').click();
    const dialog = new DialogPage(this.page, 'rename-flow-dialog');
    await dialog.fill('Name', name);
    await dialog.submit();
    await dialog.waitClosed();
  }

  async duplicate(name: string, slug?: string): Promise<void> {
    await this.root.getByTestId('duplicate-flow').click();
    const dialog = new DialogPage(this.page, 'duplicate-flow-dialog');
    await dialog.fill('Name', name);
    if (slug !== undefined) await dialog.fill('Slug', slug);
    await dialog.submit();
    await dialog.waitClosed();
  }

  /** Opens the confirmation; the caller confirms or cancels. */
  async askDelete(): Promise<DialogPage> {
    await this.root.getByTestId('delete-flow').click();
    const dialog = new DialogPage(this.page, 'confirm-delete-dialog');
    await dialog.waitOpen();
    return dialog;
  }

  async save(): Promise<void> {
    await this.settings.root.getByTestId('save').click();
  }
}
