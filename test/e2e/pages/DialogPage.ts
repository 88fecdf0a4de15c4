import { type Locator, type Page } from 'playwright-core';

/** A modal dialog of the shell, found by its test id. */
export class DialogPage {
  readonly root: Locator;

  constructor(
    readonly page: Page,
    testId: string,
  ) {
    this.root = page.getByTestId(testId);
  }

  field(label: string): Locator {
    return this.root.getByLabel(label, { exact: true });
  }

  async fill(label: string, value: string): Promise<void> {
    await this.field(label).fill(value);
  }

  async select(label: string, value: string): Promise<void> {
    await this.field(label).selectOption(value);
  }

  async setChecked(label: string, checked: boolean): Promise<void> {
    await this.field(label).setChecked(checked);
  }

  async submit(): Promise<void> {
    await this.root.getByTestId('submit').click();
  }

  async cancel(): Promise<void> {
    await this.root.getByRole('button', { name: 'Cancel' }).click();
  }

  /** The message on top of the form after a failed call. */
  problem(): Locator {
    return this.root.getByTestId('problem');
  }

  /** The error shown under the field named `name` (the input's `name` attribute). */
  fieldError(name: string): Locator {
    return this.root.locator(
      `.field:has([data-testid="field-${name}"]) [data-testid="field-error"]`,
    );
  }

  async waitOpen(): Promise<void> {
    await this.root.waitFor({ state: 'visible' });
  }

  async waitClosed(): Promise<void> {
    await this.root.waitFor({ state: 'detached' });
  }
}
