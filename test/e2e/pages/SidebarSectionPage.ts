import { type Locator, type Page } from 'playwright-core';

/** One section of the sidebar: Flows, Users, Groups, Policies or Blueprints. */
export class SidebarSectionPage {
  readonly root: Locator;

  constructor(
    readonly page: Page,
    readonly id: 'flows' | 'users' | 'groups' | 'policies' | 'blueprints',
  ) {
    this.root = page.getByTestId(id);
  }

  async add(): Promise<void> {
    await this.page.getByTestId(`${this.id}-add`).click();
  }

  /** Rows of the list, in display order. */
  items(): Locator {
    return this.root.locator('.sidebar-item');
  }

  item(testId: string): Locator {
    return this.root.getByTestId(testId);
  }

  async itemNames(): Promise<string[]> {
    return this.root.locator('.sidebar-item-primary').allInnerTexts();
  }
}
