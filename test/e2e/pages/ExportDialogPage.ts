import { type Download, type Locator, type Page } from 'playwright-core';
import { DialogPage } from './DialogPage';

/** The blueprint export dialog: style, YAML preview, Download and Copy. */
export class ExportDialogPage extends DialogPage {
  readonly preview: Locator;
  readonly downloadButton: Locator;
  readonly fileName: Locator;

  constructor(page: Page) {
    super(page, 'export-dialog');
    this.preview = this.root.getByTestId('export-preview');
    this.downloadButton = this.root.getByTestId('export-download');
    this.fileName = this.root.getByTestId('export-file-name');
  }

  style(label: 'Portable' | 'authentik' | 'Round-trip'): Locator {
    return this.root.getByRole('radio', { name: label });
  }

  /** The preview's text exactly as the page holds it (no layout-dependent whitespace). */
  async previewText(): Promise<string> {
    await this.preview.waitFor();
    return this.preview.evaluate((element) => element.textContent ?? '');
  }

  /** Clicks Download and returns the browser's download. */
  async download(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.downloadButton.click(),
    ]);
    return download;
  }
}
