import { readFile } from 'node:fs/promises';
import { type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage } from './pages/AppPage';
import { launchBrowser } from './support/browser';
import { screenshotPath } from './support/screenshots';
import { apiClient } from './support/seed';
import { openSession, type Session } from './support/session';

const FIXTURES = '/work/shared/fixtures/authentik-blueprints';
const AUTHENTICATION_FLOW = `${FIXTURES}/default/flow-default-authentication-flow.yaml`;
const ACTIONS = [
  'created',
  'updated',
  'unchanged',
  'deleted',
  'skipped',
  'kept-verbatim',
  'meta',
  'error',
];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

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

async function open(colorScheme: 'light' | 'dark' = 'light'): Promise<AppPage> {
  session = await openSession(browser, { colorScheme });
  return session.app;
}

/** Imports authentik's default authentication flow through the picker and commits it. */
async function importAuthenticationFlow(app: AppPage): Promise<void> {
  const dialog = await app.importFiles([AUTHENTICATION_FLOW]);
  expect(await dialog.stage()).toBe('ready');
  await dialog.commit();
  await dialog.waitClosed();
  await app.notice.getByRole('button', { name: 'Dismiss message' }).click();
  await app.notice.waitFor({ state: 'detached' });
}

describe('blueprint import and export in the app', () => {
  it('imports a file picked with the file input, showing the per-entry report first', async () => {
    const app = await open();
    // The picker is what "Import blueprint…" opens.
    const [chooser] = await Promise.all([
      app.page.waitForEvent('filechooser'),
      app.page.getByTestId('import-blueprint').click(),
    ]);
    expect(chooser.isMultiple()).toBe(true);

    const dialog = await app.importFiles([AUTHENTICATION_FLOW]);
    expect(await dialog.stage()).toBe('ready');
    expect(await dialog.summary.innerText()).toContain('Dry run: nothing has been written yet.');
    expect(await dialog.fileReports().count()).toBe(1);
    const report = dialog.fileReports().first();
    expect(await report.innerText()).toContain('Default - Authentication flow');
    expect(await report.innerText()).toContain('flow-default-authentication-flow.yaml');
    expect(await report.getByTestId('version-guess').innerText()).toMatch(/Written for authentik/);
    expect(await dialog.entryRows().count()).toBe(12);
    const actions = await dialog.entryActions();
    expect(actions).toHaveLength(12);
    for (const action of actions) expect(ACTIONS).toContain(action);
    expect(actions).toContain('created');
    expect(actions).not.toContain('error');
    expect(await dialog.importButton.isEnabled()).toBe(true);
    // Nothing is written by the dry run.
    expect(await app.flows.items().count()).toBe(0);

    await app.screenshot(screenshotPath('import-report-light'));
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => app.theme()).toBe('dark');
    await app.screenshot(screenshotPath('import-report-dark'));
    await app.page.emulateMedia({ colorScheme: 'light' });

    await dialog.commit();
    await dialog.waitClosed();
    await app.notice.waitFor();
    expect(await app.notice.innerText()).toMatch(/Imported .*Default - Authentication flow/);

    const item = app.flows.item('flow-item-default-authentication-flow');
    await item.waitFor();
    await item.click();
    await app.flow.root.waitFor();
    expect(await app.flow.slug.innerText()).toBe('default-authentication-flow');
    const bindings = app.page.getByTestId('bindings-table').locator('tbody tr');
    await expect.poll(() => bindings.count()).toBe(4);
    expect(await app.page.getByTestId('bindings-table').innerText()).toContain(
      'default-authentication-identification',
    );
    await app.blueprints.item('blueprint-item-Default - Authentication flow').waitFor();
  });

  it('opens the report for .yaml files dropped onto the window and ignores other files', async () => {
    const app = await open();
    await app.dropFiles([{ name: 'notes.txt', text: 'not a blueprint' }]);
    await app.notice.waitFor();
    expect(await app.notice.innerText()).toContain('not .yaml or .yml: notes.txt');
    expect(await app.importDialog.root.count()).toBe(0);

    const small = [
      'version: 1',
      'metadata:',
      '  name: Dropped flow',
      'entries:',
      '  - model: authentik_flows.flow',
      '    id: flow',
      '    identifiers:',
      '      slug: dropped-flow',
      '    attrs:',
      '      name: Dropped flow',
      '      title: Dropped flow',
      '      designation: authentication',
      '',
    ].join('\n');
    await app.dropFiles(
      [
        { name: 'dropped.yaml', text: small },
        { name: 'picture.png', text: 'png' },
      ],
      async () => {
        await app.dropOverlay.waitFor();
        expect(await app.dropOverlay.innerText()).toContain('Drop .yaml files to import them');
        await app.screenshot(screenshotPath('drop-overlay-light'));
      },
    );
    await app.importDialog.waitChecked();
    await app.dropOverlay.waitFor({ state: 'detached' });
    const dialog = app.importDialog;
    expect(await dialog.stage()).toBe('ready');
    expect(await dialog.root.getByTestId('import-notes').innerText()).toContain('picture.png');
    expect(await dialog.entryActions()).toEqual(['created']);
    // Keyboard: Escape closes, and nothing was written.
    await app.page.keyboard.press('Escape');
    await dialog.waitClosed();
    expect(await app.flows.items().count()).toBe(0);
  });

  it('shows the problems of broken files with their line and column, and imports nothing', async () => {
    const app = await open();
    const api = apiClient(session!.server);
    try {
      await app.createFlow({ name: 'Already here', slug: 'already-here' });
      const before = await api.client.call('flows.list');

      const broken = [
        'version: 1',
        'metadata:',
        '  name: Broken',
        'entries:',
        '  - model: authentik_flows.nosuchmodel',
        '    identifiers:',
        '      slug: nope',
        '  - model: authentik_flows.flowstagebinding',
        '    identifiers:',
        '      order: 10',
        '      target: !KeyOf missing-flow',
        '      stage: !KeyOf missing-stage',
        '',
      ].join('\n');
      const wrongVersion = 'version: 2\nentries: []\n';
      await app.dropFiles([
        { name: 'broken.yaml', text: broken },
        { name: 'version-2.yml', text: wrongVersion },
      ]);
      const dialog = app.importDialog;
      await dialog.waitChecked();
      expect(await dialog.stage()).toBe('problems');
      expect(await dialog.summary.innerText()).toContain('Nothing was imported');
      expect(await dialog.issues().count()).toBeGreaterThanOrEqual(3);
      const locations = await dialog.issueLocations();
      expect(locations.some((where) => /^broken\.yaml:5:\d+$/.test(where))).toBe(true);
      expect(locations.some((where) => /^broken\.yaml:1[01]:\d+$/.test(where))).toBe(true);
      expect(locations.some((where) => /^version-2\.yml:1:\d+$/.test(where))).toBe(true);
      const issuesText = await dialog.root.getByTestId('import-issues').innerText();
      expect(issuesText).toMatch(/nosuchmodel/);
      expect(issuesText).toMatch(/missing-flow|KeyOf/);
      expect(await dialog.importButton.isDisabled()).toBe(true);
      await app.screenshot(screenshotPath('import-problems-light'));

      await dialog.close();
      expect(await app.flows.itemNames()).toEqual(['Already here']);
      expect(await api.client.call('flows.list')).toEqual(before);
      expect(await api.client.call('blueprints.list')).toEqual([]);
    } finally {
      api.close();
    }
  });

  it('asks for !Env values instead of reading this machine, then imports with them', async () => {
    const app = await open();
    const withEnv = [
      'version: 1',
      'metadata:',
      '  name: Needs a value',
      'entries:',
      '  - model: authentik_flows.flow',
      '    identifiers:',
      '      slug: from-env',
      '    attrs:',
      '      name: From env',
      '      title: !Env FLOWBENCH_E2E_TITLE',
      '      designation: authentication',
      '',
    ].join('\n');
    await app.dropFiles([{ name: 'env.yaml', text: withEnv }]);
    const dialog = app.importDialog;
    await dialog.waitChecked();
    expect(await dialog.stage()).toBe('problems');
    expect(await dialog.importButton.isDisabled()).toBe(true);
    const value = dialog.value('env', 'FLOWBENCH_E2E_TITLE');
    await value.fill('Hello from the dialog');
    await value.press('Enter');
    await dialog.waitChecked();
    expect(await dialog.stage()).toBe('ready');
    await dialog.commit();
    await dialog.waitClosed();
    await app.flow.root.waitFor();
    expect(await app.flow.settings.field('Title').inputValue()).toBe('Hello from the dialog');
  });

  it('exports an imported flow in portable style; the download is the preview', async () => {
    const app = await open();
    await importAuthenticationFlow(app);
    await app.flows.item('flow-item-default-authentication-flow').click();
    await app.flow.root.getByTestId('export-flow').click();
    const dialog = app.exportDialog;
    await dialog.waitOpen();
    expect(await dialog.root.getByRole('heading').first().innerText()).toBe(
      'Export flow “Welcome to authentik!”',
    );
    expect(await dialog.style('Portable').isChecked()).toBe(true);
    // Focus starts on the chosen style; arrow keys change it, as in any radio group.
    expect(
      await dialog.style('Portable').evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    const preview = await dialog.previewText();
    expect(preview).toContain('!KeyOf');
    expect(preview).toContain('default-authentication-flow');
    expect(preview).not.toMatch(UUID);
    const fileName = await dialog.fileName.innerText();
    expect(fileName).toMatch(/\.ya?ml$/);
    await app.screenshot(screenshotPath('export-dialog-light'));

    await session!.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await dialog.root.getByTestId('export-copy').click();
    await dialog.root.getByText('Copied to the clipboard.').waitFor();
    expect(await app.page.evaluate('navigator.clipboard.readText()')).toBe(preview);

    const download = await dialog.download();
    expect(download.suggestedFilename()).toBe(fileName);
    const path = await download.path();
    expect(await readFile(path, 'utf8')).toBe(preview);

    await dialog.style('authentik').check();
    await expect.poll(() => dialog.previewText()).not.toBe(preview);
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => app.theme()).toBe('dark');
    await app.screenshot(screenshotPath('export-dialog-dark'));
    await app.page.keyboard.press('Escape');
    await dialog.waitClosed();

    // The workspace-level export names no flow.
    await app.page.getByTestId('export-workspace').click();
    await dialog.waitOpen();
    expect(await dialog.root.getByRole('heading').first().innerText()).toBe('Export workspace');
    expect(await dialog.previewText()).toContain('default-authentication-flow');
  });
});
