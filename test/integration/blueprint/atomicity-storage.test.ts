import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventPayload } from '@shared/contract';
import { importBlueprints, validateBlueprints } from '../../../src/main/blueprint/import';
import { stripSource } from '../../../src/main/blueprint/yaml';
import { parseBlueprintDocument } from '../../../src/main/blueprint/yaml';
import { actions, blueprintWorkspace, dumpTables, entries, file, fixture, importFails, importOk } from './support';

const blueprint = (body: string, top = ''): string => `version: 1\n${top}entries:\n${body}`;

/** Four good entries, then one that fails (a binding to a stage that does not exist), then one more good one. */
const FAILS_AT_FIFTH = blueprint(`- model: authentik_flows.flow
  id: flow
  identifiers: {slug: atomic}
  attrs: {name: Atomic, title: Atomic, designation: authentication}
- model: authentik_stages_dummy.dummystage
  id: stage
  identifiers: {name: atomic-dummy}
- model: authentik_flows.flowstagebinding
  identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 10}
- model: authentik_policies_dummy.dummypolicy
  identifiers: {name: atomic-policy}
- model: authentik_flows.flowstagebinding
  identifiers: {target: !KeyOf flow, stage: 00000000-0000-4000-8000-00000000dead, order: 20}
- model: authentik_stages_dummy.dummystage
  identifiers: {name: after-the-failure}
`);

describe('all or nothing', () => {
  it('a file whose 5th entry fails leaves the workspace content unchanged, and reports later entries too', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/flow-default-invalidation-flow.yaml')]);
    const before = dumpTables(ws);
    const report = await importFails(ws, [file('atomic.yaml', FAILS_AT_FIFTH)]);
    expect(actions(report)).toEqual(['created', 'created', 'created', 'created', 'error', 'created']);
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({ entryIndex: 4, code: 'not-found', path: 'identifiers.stage', line: 15 });
    expect(report.files[0]?.ok).toBe(false);
    expect(dumpTables(ws)).toEqual(before);
  });

  it('reports every failing entry, and follow-up !KeyOf failures name the entry that failed', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file(
        'many.yaml',
        blueprint(`- model: authentik_flows.flow
  id: flow
  identifiers: {slug: bad}
  attrs: {name: Bad, title: Bad, designation: nope}
- model: authentik_stages_dummy.dummystage
  identifiers: {name: fine}
- model: authentik_policies.policybinding
  identifiers: {target: !KeyOf flow, group: 00000000-0000-4000-8000-000000000001, order: 0}
`),
      ),
    ]);
    expect(report.issues.map((i) => [i.entryIndex, i.code])).toEqual([
      [0, 'invalid-value'],
      [2, 'KEYOF_NOT_FOUND'],
    ]);
    expect(report.issues[1]?.message).toContain('entry 1');
    expect(report.totals).toMatchObject({ errors: 2, created: 1 });
  });

  it('a failure in file 2 writes nothing from file 1', async () => {
    const ws = blueprintWorkspace();
    const before = dumpTables(ws);
    const report = await importFails(ws, [fixture('default/flow-password-change.yaml'), file('atomic.yaml', FAILS_AT_FIFTH)]);
    expect(report.files.map((f) => f.ok)).toEqual([true, false]);
    expect(report.files[0]?.entries.every((e) => e.action === 'created')).toBe(true);
    expect(dumpTables(ws)).toEqual(before);
    expect(ws.services.blueprints.list()).toEqual([]);
  });

  it('a YAML error in one file fails the whole import, after reporting the other files', async () => {
    const ws = blueprintWorkspace();
    const before = dumpTables(ws);
    const report = await importFails(ws, [fixture('example/flows-unenrollment.yaml'), file('broken.yaml', 'version: 1\nentries: [\n')]);
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({ fileName: 'broken.yaml', entryIndex: null, code: 'syntax' });
    expect(report.files[0]?.entries.map((e) => e.action)).toEqual(['created', 'created', 'created']);
    expect(dumpTables(ws)).toEqual(before);
  });

  it('a dry run reports the same actions and writes nothing; events only follow a commit', async () => {
    const ws = blueprintWorkspace();
    const events: EventPayload<'workspace.changed'>[] = [];
    ws.events.subscribe('workspace.changed', (event) => events.push(event));
    const files = [fixture('default/flow-password-change.yaml'), fixture('default/flow-default-authentication-flow.yaml')];
    const before = dumpTables(ws);

    const dry = await validateBlueprints(ws, files);
    expect(dry).toMatchObject({ ok: true, dryRun: true, committed: false });
    expect(dumpTables(ws)).toEqual(before);
    expect(events).toEqual([]);

    const real = await importBlueprints(ws, files);
    expect(real).toMatchObject({ ok: true, dryRun: false, committed: true });
    const strip = (r: typeof real) => r.files.map((f) => f.entries.map(({ pk: _pk, ...rest }) => rest));
    expect(strip(real)).toEqual(strip(dry));
    expect(events.filter((e) => e.entity === 'workspace')).toEqual([{ entity: 'workspace', action: 'replaced', pk: null }]);
    expect(events.filter((e) => e.action === 'created').length).toBe(real.totals.created);

    events.length = 0;
    await importFails(ws, [file('atomic.yaml', FAILS_AT_FIFTH)]);
    expect(events).toEqual([]);
  });
});

describe('stored blueprints', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the document without positions, the context without secrets, and one row per entry', async () => {
    const ws = blueprintWorkspace();
    const source = fixture('default/flow-default-source-enrollment.yaml');
    await importOk(ws, [source], {
      context: { flow_slug: 'x', smtp_password: 'p', nested: { api_token: 't', keep: 1 }, 'signing-key': 'k' },
      explicit: { env: { SECRET_ENV: 'never-stored' } },
    });
    const [head] = ws.services.blueprints.list();
    expect(head).toMatchObject({ name: 'Default - Source enrollment flow', sourceName: source.name, entryCount: 12 });
    const stored = ws.services.blueprints.get(head?.pk ?? '');
    const parsed = parseBlueprintDocument(source.text as string);
    if (!parsed.ok) throw new Error('fixture must parse');
    expect(stored.document).toEqual(JSON.parse(JSON.stringify(stripSource(parsed.document))));
    expect(stored.document).not.toHaveProperty('source');
    expect(stored.context).toEqual({ flow_slug: 'x', nested: { keep: 1 } });
    expect(JSON.stringify(stored)).not.toContain('never-stored');
    expect(stored.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.versionGuess).toBe('>=2022.8');
    expect(stored.entries).toHaveLength(12);
    expect(stored.entries[1]).toMatchObject({
      idx: 1,
      model: 'authentik_stages_prompt.prompt',
      snapshot: { name: 'default-source-enrollment-field-username', prompt_type: 'text', field_key: 'username' },
      unknownAttrs: null,
    });
    const flowPk = ws.services.flows.list()[0]?.pk;
    expect(stored.entries[0]).toMatchObject({ objectPk: flowPk, snapshot: { slug: 'default-source-enrollment' } });
  });

  it('re-importing a blueprint with the same metadata.name replaces its document, keeping its pk', async () => {
    const ws = blueprintWorkspace();
    const v1 = blueprint(`- model: authentik_stages_dummy.dummystage\n  identifiers: {name: one}\n`, 'metadata: {name: Same}\n');
    const v2 = blueprint(
      `- model: authentik_stages_dummy.dummystage\n  identifiers: {name: one}\n- model: authentik_stages_dummy.dummystage\n  identifiers: {name: two}\n`,
      'metadata: {name: Same}\n',
    );
    await importOk(ws, [file('v1.yaml', v1)]);
    const [first] = ws.services.blueprints.list();
    await importOk(ws, [file('v2.yaml', v2)]);
    const list = ws.services.blueprints.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ pk: first?.pk, sourceName: 'v2.yaml', entryCount: 2 });
    expect(ws.services.blueprints.get(first?.pk ?? '').document.entries).toHaveLength(2);
  });

  it('stores in a workspace file (migration 0002 applied on open)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowbench-blueprint-'));
    dirs.push(dir);
    const ws = blueprintWorkspace(join(dir, 'ws.sqlite'));
    const report = await importOk(ws, [fixture('default/flow-default-invalidation-flow.yaml')]);
    expect(entries(report).map((e) => e.action)).toEqual(['created', 'created', 'created']);
    expect(ws.db.pragma('user_version', { simple: true })).toBe(2);
    expect(ws.services.blueprints.list()).toHaveLength(1);
  });
});
