import { type Locator, type Page } from 'playwright-core';
import { DialogPage } from './DialogPage';

/** The blueprint import dialog: the dry-run report, values, Import. */
export class ImportDialogPage extends DialogPage {
  readonly summary: Locator;
  readonly importButton: Locator;

  constructor(page: Page) {
    super(page, 'import-dialog');
    this.summary = this.root.getByTestId('import-summary');
    this.importButton = this.root.getByTestId('submit');
  }

  /** Waits until the dialog is open and its (latest) dry run has answered. */
  async waitChecked(): Promise<void> {
    await this.root
      .locator('[data-testid="import-summary"]:not([data-stage="checking"])')
      .waitFor();
  }

  /** `checking`, `ready`, `problems`, `import-failed` or `call-failed`. */
  async stage(): Promise<string | null> {
    return this.summary.getAttribute('data-stage');
  }

  fileReports(): Locator {
    return this.root.getByTestId('file-report');
  }

  entryRows(): Locator {
    return this.root.getByTestId('entry-row');
  }

  /** The action of every entry row, in report order. */
  async entryActions(): Promise<string[]> {
    const badges = this.root.getByTestId('entry-table').getByTestId('entry-action');
    return badges.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-action') ?? ''),
    );
  }

  issues(): Locator {
    return this.root.getByTestId('import-issue');
  }

  async issueLocations(): Promise<string[]> {
    return this.root.getByTestId('issue-location').allInnerTexts();
  }

  /** The value input for `!Env NAME` / `!File PATH` / `!Context key`. */
  value(kind: 'env' | 'file' | 'context', name: string): Locator {
    return this.root.getByTestId(`value-${kind}-${name}`);
  }

  async validateAgain(): Promise<void> {
    await this.root.getByTestId('validate-again').click();
    await this.waitChecked();
  }

  async commit(): Promise<void> {
    await this.importButton.click();
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close dialog' }).click();
    await this.waitClosed();
  }
}
