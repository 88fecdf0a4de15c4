import { describe, expect, it } from 'vitest';
import {
  exportFromSource,
  type ExportSource,
  type StoredBlueprint,
  type StoredBlueprintEntry,
} from '../../../../src/main/blueprint/export';
import { recordOf } from '../../../../src/main/blueprint/export/records';
import { type ObjectType, type WorkspaceObject } from '../../../../src/main/blueprint/export/snapshot';
import { parseBlueprintDocument, stripSource, type BlueprintDocument } from '../../../../src/main/blueprint/yaml';
import { CAPTCHA, EMAIL, IDENTIFICATION, LOGIN, PASSWORD, SnapshotBuilder } from './builders';

const NOW = new Date('2025-03-01T12:00:00.000Z');

function parse(text: string): BlueprintDocument {
  const result = parseBlueprintDocument(text);
  if (!result.ok) throw new Error(result.error.message);
  return stripSource(result.document);
}

describe('authentik style', () => {
  it('writes authentik’s document and entry shape', () => {
    const b = new SnapshotBuilder();
    const flow = b.flow('login', { compatibility_mode: false, policy_engine_mode: 'any' });
    const stage = b.stage('login-stage', LOGIN, {});
    const binding = b.bind(flow, stage, 10);
    const group = b.group('admins');
    const pb = b.policyBinding(flow, { group: group.pk }, 0, { negate: true });
    const result = exportFromSource({ snapshot: b.build(), blueprints: [] }, { style: 'authentik', flows: ['login'], now: NOW });
    const doc = result.document;
    expect(doc.keyOrder).toEqual(['context', 'entries', 'metadata', 'version']);
    expect(doc.metadata).toEqual({ labels: { 'blueprints.goauthentik.io/generated': 'true' }, name: 'authentik Export - 2025-03-01 12:00:00+00:00' });
    expect(doc.entries.map((entry) => entry.model)).toEqual([
      'authentik_flows.flow',
      LOGIN,
      'authentik_flows.flowstagebinding',
      'authentik_policies.policybinding',
    ]);
    const [flowEntry, stageEntry, bindingEntry, pbEntry] = doc.entries;
    expect(flowEntry?.identifiers).toEqual({ pk: flow.pk, slug: 'login' });
    // compatibility_mode false and background "" are serializer-initial values: left out.
    expect(flowEntry?.attrs).toEqual({
      authentication: 'none',
      denied_action: 'message_continue',
      designation: 'authentication',
      layout: 'stacked',
      name: 'Flow login',
      policy_engine_mode: 'any',
      title: 'login',
    });
    expect(Object.keys(flowEntry?.attrs ?? {})).toEqual([...Object.keys(flowEntry?.attrs ?? {})].sort());
    expect(stageEntry?.identifiers).toEqual({ name: 'login-stage', pk: stage.pk });
    expect(bindingEntry?.identifiers).toEqual({ order: 10, pk: binding.pk, stage: stage.pk, target: flow.pk });
    expect(pbEntry?.identifiers).toEqual({ order: 0, pk: pb.pk, policy: null, target: flow.pk });
    expect(pbEntry?.attrs).toEqual({ enabled: true, group: group.pk, negate: true, timeout: 30 });
    for (const entry of doc.entries) {
      expect(entry).toMatchObject({ state: 'present', conditions: [], permissions: [] });
      expect(entry.id).toBeUndefined();
    }
    expect(result.text.startsWith('context: {}\nentries:\n  - attrs:\n')).toBe(true);
    expect(result.text.endsWith('  name: authentik Export - 2025-03-01 12:00:00+00:00\nversion: 1\n')).toBe(true);
  });

  it('leaves write-only secrets out, with a warning', () => {
    const b = new SnapshotBuilder();
    const flow = b.flow('login');
    const captcha = b.stage('captcha', CAPTCHA, { public_key: 'site-key', private_key: 'very-secret-captcha-key' });
    b.bind(flow, captcha, 10);
    const result = exportFromSource({ snapshot: b.build(), blueprints: [] }, { style: 'authentik', now: NOW });
    expect(result.text).not.toContain('very-secret-captcha-key');
    expect(result.text).toContain('site-key');
    expect(result.warnings.join('\n')).toContain('"private_key" left out');
  });
});

describe('portable style', () => {
  function scenario() {
    const b = new SnapshotBuilder();
    const other = b.flow('password-change', { designation: 'stage_configuration' });
    const flow = b.flow('login');
    const pw = b.stage('pw', PASSWORD, { backends: ['authentik.core.auth.InbuiltBackend'], configure_flow: other.pk });
    const ident = b.stage('Ident Stage', IDENTIFICATION, { user_fields: ['username'], password_stage: pw.pk });
    const email = b.stage('mail', EMAIL, { password: 'smtp-hunter2', host: 'smtp.example.com' });
    const b10 = b.bind(flow, ident, 10);
    b.bind(flow, email, 20, { evaluate_on_plan: true });
    const policy = b.policy('policy one');
    b.policyBinding(b10, { policy: policy.pk }, 0);
    const group = b.group('admins');
    b.policyBinding(flow, { group: group.pk }, 1);
    const user = b.user(3, 'carol');
    b.policyBinding(flow, { user: user.pk }, 2);
    return { b, other, flow };
  }

  it('writes ids, natural keys and !KeyOf / !Find, never a pk', () => {
    const { b } = scenario();
    const snapshot = b.build();
    const result = exportFromSource({ snapshot, blueprints: [] }, { style: 'portable', flows: ['login'] });
    const pks = [...snapshot.flows, ...snapshot.stages, ...snapshot.bindings, ...snapshot.policies, ...snapshot.policyBindings, ...snapshot.groups].map((o) => o.pk);
    for (const pk of pks) expect(result.text).not.toContain(pk);
    const doc = result.document;
    expect(doc.entries.map((entry) => entry.id)).toEqual([
      'flow-login',
      'policy-policy-one',
      'stage-pw',
      'stage-ident-stage',
      'stage-mail',
      'binding-login-10',
      'binding-login-20',
      'policybinding-login-1',
      'policybinding-login-2',
      'policybinding-login-10-0',
    ]);
    const byId = new Map(doc.entries.map((entry) => [entry.id, entry]));
    // Outside the export: !Find by natural key.
    expect(byId.get('stage-pw')?.attrs?.configure_flow).toEqual({ $tag: 'Find', args: ['authentik_flows.flow', ['slug', 'password-change']] });
    expect(byId.get('stage-ident-stage')?.attrs?.password_stage).toEqual({ $tag: 'KeyOf', value: 'stage-pw' });
    expect(byId.get('binding-login-10')?.identifiers).toEqual({
      target: { $tag: 'KeyOf', value: 'flow-login' },
      stage: { $tag: 'KeyOf', value: 'stage-ident-stage' },
      order: 10,
    });
    expect(byId.get('binding-login-20')?.attrs).toEqual({ evaluate_on_plan: true, re_evaluate_policies: true });
    expect(byId.get('policybinding-login-10-0')?.identifiers).toEqual({
      policy: { $tag: 'KeyOf', value: 'policy-policy-one' },
      target: { $tag: 'KeyOf', value: 'binding-login-10' },
      order: 0,
    });
    expect(byId.get('policybinding-login-1')?.identifiers).toEqual({
      group: { $tag: 'Find', args: ['authentik_core.group', ['name', 'admins']] },
      target: { $tag: 'KeyOf', value: 'flow-login' },
      order: 1,
    });
    expect(byId.get('policybinding-login-2')?.identifiers?.user).toEqual({ $tag: 'Find', args: ['authentik_core.user', ['username', 'carol']] });
  });

  it('replaces secrets by !Context keys declared with empty defaults', () => {
    const { b } = scenario();
    const result = exportFromSource({ snapshot: b.build(), blueprints: [] }, { style: 'portable' });
    expect(result.text).not.toContain('smtp-hunter2');
    expect(result.document.context).toEqual({ 'stage-mail.password': '' });
    expect(result.text).toContain('# secret: password of stage "mail"; not exported, pass it as context\n  stage-mail.password: ""');
    const mail = result.document.entries.find((entry) => entry.id === 'stage-mail');
    expect(mail?.attrs?.password).toEqual({ $tag: 'Context', value: 'stage-mail.password' });
    expect(result.warnings.some((w) => w.includes('!Context stage-mail.password'))).toBe(true);
    // Whole workspace: the other flow comes first, so the reference is a !KeyOf.
    const pw = result.document.entries.find((entry) => entry.id === 'stage-pw');
    expect(pw?.attrs?.configure_flow).toEqual({ $tag: 'KeyOf', value: 'flow-password-change' });
    // Referenced group and user move up to just before the bindings that name them.
    const ids = result.document.entries.map((entry) => entry.id);
    expect(ids.indexOf('group-admins')).toBeLessThan(ids.indexOf('policybinding-login-1'));
    expect(ids.indexOf('user-carol')).toBeLessThan(ids.indexOf('policybinding-login-2'));
    expect(result.document.entries.find((e) => e.id === 'policybinding-login-1')?.identifiers?.group).toEqual({ $tag: 'KeyOf', value: 'group-admins' });
  });

  it('is byte-identical across runs and input orders', () => {
    const { b } = scenario();
    const snapshot = b.build();
    const reversed = Object.fromEntries(Object.entries(snapshot).map(([key, list]) => [key, [...list].reverse()])) as unknown as typeof snapshot;
    for (const style of ['portable', 'authentik'] as const) {
      const one = exportFromSource({ snapshot, blueprints: [] }, { style, now: NOW }).text;
      const two = exportFromSource({ snapshot: reversed, blueprints: [] }, { style, now: NOW }).text;
      expect(two).toBe(one);
    }
  });

  it('refuses unknown flow slugs', () => {
    const { b } = scenario();
    expect(() => exportFromSource({ snapshot: b.build(), blueprints: [] }, { style: 'portable', flows: ['nope'] })).toThrow(/No flow with slug "nope"/);
  });
});

const STORED_YAML = `version: 1
metadata:
  name: Test blueprint
entries:
  # the flow itself
  - model: authentik_flows.flow
    id: flow
    identifiers:
      slug: login
    attrs:
      name: Login
      title: !Format ["%s", Login]
      designation: authentication
  - model: authentik_stages_password.passwordstage
    id: pw
    identifiers:
      name: pw
    attrs:
      backends: [authentik.core.auth.InbuiltBackend]
      configure_flow: !Find [authentik_flows.flow, [slug, other]]
      template: obsolete.html
  - model: authentik_flows.flowstagebinding
    identifiers:
      target: !KeyOf flow
      stage: !KeyOf pw
      order: 10
  - model: authentik_brands.brand
    identifiers:
      domain: example.com
    attrs:
      flow_authentication: !KeyOf flow
`;

/** A workspace as the importer would leave it after importing STORED_YAML. */
function imported() {
  const b = new SnapshotBuilder();
  const flow = b.flow('login', { name: 'Login', title: 'Login' });
  const pw = b.stage('pw', PASSWORD, { backends: ['authentik.core.auth.InbuiltBackend'] });
  const binding = b.bind(flow, pw, 10);
  const row = (idx: number, type: ObjectType | null, object: WorkspaceObject | null, model: string, unknown?: Record<string, string>): StoredBlueprintEntry => ({
    idx,
    model,
    objectPk: object ? String(object.pk) : null,
    snapshot: object && type ? { ...recordOf(type, object).fields } : null,
    unknownAttrs: unknown ?? null,
  });
  const blueprint: StoredBlueprint = {
    pk: 'bp-1',
    name: 'Test blueprint',
    sourceName: 'test.yaml',
    document: parse(STORED_YAML),
    importedAt: '2025-03-01T00:00:00.000Z',
    entries: [
      row(0, 'flow', flow, 'authentik_flows.flow'),
      row(1, 'stage', pw, PASSWORD, { template: 'obsolete.html' }),
      row(2, 'binding', binding, 'authentik_flows.flowstagebinding'),
      row(3, null, null, 'authentik_brands.brand'),
    ],
  };
  return { b, flow, pw, binding, blueprint };
}

function source(b: SnapshotBuilder, blueprint: StoredBlueprint): ExportSource {
  return { snapshot: b.build(), blueprints: [blueprint] };
}

describe('round-trip style', () => {
  it('writes the stored document back unchanged when nothing changed', () => {
    const { b, blueprint } = imported();
    const result = exportFromSource(source(b, blueprint), { style: 'round-trip' });
    expect(result.document).toEqual(blueprint.document);
    expect(parse(result.text)).toEqual(blueprint.document);
    expect(result.text).toContain('# the flow itself');
    expect(result.files.map((file) => file.name)).toEqual(['test.yaml']);
    expect(result.warnings).toEqual([]);
  });

  it('changes only the edited entry, only its changed fields; tags of unchanged fields stay', () => {
    const { b, pw, flow, blueprint } = imported();
    b.stages[0] = { ...pw, config: { ...pw.config, failed_attempts_before_cancel: 3 } };
    b.flows[0] = { ...flow, title: 'Sign in' };
    const result = exportFromSource(source(b, blueprint), { style: 'round-trip', flows: ['login'] });
    const before = blueprint.document.entries;
    const after = result.document.entries;
    expect(after[2]).toEqual(before[2]);
    expect(after[3]).toEqual(before[3]);
    expect(after[0]?.attrs).toEqual({ name: 'Login', title: 'Sign in', designation: 'authentication' });
    expect(after[1]?.attrs).toEqual({
      backends: ['authentik.core.auth.InbuiltBackend'],
      configure_flow: { $tag: 'Find', args: ['authentik_flows.flow', ['slug', 'other']] },
      template: 'obsolete.html',
      failed_attempts_before_cancel: 3,
    });
  });

  it('keeps an entry whose object was deleted, with a warning', () => {
    const { b, blueprint } = imported();
    b.bindings.length = 0;
    const result = exportFromSource(source(b, blueprint), { style: 'round-trip' });
    expect(result.document).toEqual(blueprint.document);
    expect(result.warnings.join('\n')).toMatch(/test\.yaml entry 2 .*deleted since the import; entry written back unchanged/);
  });

  it('appends objects created since the import in portable form', () => {
    const { b, flow, blueprint } = imported();
    const login = b.stage('new-login', LOGIN, { session_duration: 'hours=1' });
    b.bind(flow, login, 100);
    const result = exportFromSource(source(b, blueprint), { style: 'round-trip' });
    const entries = result.document.entries;
    expect(entries.slice(0, 4)).toEqual(blueprint.document.entries);
    expect(entries.slice(4).map((entry) => [entry.model, entry.id])).toEqual([
      [LOGIN, 'stage-new-login'],
      ['authentik_flows.flowstagebinding', 'binding-login-100'],
    ]);
    expect(entries[5]?.identifiers).toEqual({ target: { $tag: 'KeyOf', value: 'flow' }, stage: { $tag: 'KeyOf', value: 'stage-new-login' }, order: 100 });
    expect(result.text).toContain('# Added in Flowbench after the import');
    expect(parse(result.text).entries).toHaveLength(6);
  });

  it('whole-workspace authentik and portable exports carry unknown attrs and unmodeled entries', () => {
    const { b, flow, blueprint } = imported();
    const authentik = exportFromSource(source(b, blueprint), { style: 'authentik', now: NOW });
    const stage = authentik.document.entries.find((entry) => entry.model === PASSWORD);
    expect(stage?.attrs?.template).toBe('obsolete.html');
    const brand = authentik.document.entries.at(-1);
    expect(brand?.model).toBe('authentik_brands.brand');
    expect(brand?.attrs?.flow_authentication).toBe(flow.pk);
    const portable = exportFromSource(source(b, blueprint), { style: 'portable' });
    expect(portable.document.entries.at(-1)?.attrs?.flow_authentication).toEqual({ $tag: 'KeyOf', value: 'flow-login' });
    expect(portable.document.entries.find((entry) => entry.model === PASSWORD)?.attrs?.template).toBe('obsolete.html');
    // Flow-limited exports hold no unmodeled entries.
    expect(exportFromSource(source(b, blueprint), { style: 'portable', flows: ['login'] }).document.entries.map((e) => e.model)).not.toContain(
      'authentik_brands.brand',
    );
  });
});

describe('round-trip style, document forms', () => {
  const SECTIONED = `version: 1
metadata:
  name: Sectioned
entries:
  flows:
    - model: authentik_flows.flow
      id: flow
      identifiers: {slug: login}
      attrs: {name: Login, title: Login, designation: authentication}
  empty: []
  stages:
    - model: authentik_stages_user_login.userloginstage
      id: login
      identifiers: {name: login}
`;

  function sectioned() {
    const b = new SnapshotBuilder(1000);
    const flow = b.flow('login', { name: 'Login', title: 'Login' });
    const stage = b.stage('login', LOGIN);
    const blueprint: StoredBlueprint = {
      pk: 'bp-s',
      name: 'Sectioned',
      sourceName: 'sectioned.yaml',
      document: parse(SECTIONED),
      importedAt: '2025-03-02T00:00:00.000Z',
      entries: [
        { idx: 0, model: 'authentik_flows.flow', objectPk: flow.pk, snapshot: { ...recordOf('flow', flow).fields }, unknownAttrs: null },
        { idx: 1, model: LOGIN, objectPk: stage.pk, snapshot: { ...recordOf('stage', stage).fields }, unknownAttrs: null },
      ],
    };
    return { b, flow, stage, blueprint };
  }

  it('keeps sections (empty ones too); appended objects go to the last section', () => {
    const { b, flow, stage, blueprint } = sectioned();
    expect(exportFromSource(source(b, blueprint), { style: 'round-trip' }).document).toEqual(blueprint.document);
    b.bind(flow, stage, 10);
    const result = exportFromSource(source(b, blueprint), { style: 'round-trip' });
    const reparsed = parse(result.text);
    expect(reparsed.sections).toEqual(['flows', 'empty', 'stages']);
    expect(reparsed.entries.map((entry) => [entry.section, entry.id])).toEqual([
      ['flows', 'flow'],
      ['stages', 'login'],
      ['stages', 'binding-login-10'],
    ]);
    expect(reparsed.entries[2]?.identifiers).toEqual({ target: { $tag: 'KeyOf', value: 'flow' }, stage: { $tag: 'KeyOf', value: 'login' }, order: 10 });
  });

  it('several stored blueprints: one file each, the text a YAML stream', () => {
    const one = imported();
    const two = sectioned();
    const snapshot = one.b.build();
    const other = two.b.build();
    const merged = {
      ...snapshot,
      flows: [...snapshot.flows, ...other.flows.map((f) => ({ ...f, slug: 'login2' }))],
      stages: [...snapshot.stages, ...other.stages],
    };
    const [flowRow] = two.blueprint.entries;
    const flowEntry = two.blueprint.document.entries[0];
    if (!flowRow?.snapshot || !flowEntry?.identifiers) throw new Error('fixture');
    two.blueprint.entries[0] = { ...flowRow, snapshot: { ...flowRow.snapshot, slug: 'login2' } };
    flowEntry.identifiers.slug = 'login2';
    const result = exportFromSource({ snapshot: merged, blueprints: [two.blueprint, one.blueprint] }, { style: 'round-trip' });
    expect(result.files.map((file) => file.name)).toEqual(['test.yaml', 'sectioned.yaml']);
    expect(result.text).toBe(`${result.files[0]?.text}---\n${result.files[1]?.text}`);
    expect(result.document).toEqual(result.files[0]?.document);
    expect(result.warnings).toEqual([
      '2 blueprints exported (test.yaml, sectioned.yaml): the text holds them as one YAML stream; save each file separately to import them',
    ]);
    // Asking for one flow picks the blueprint that holds it.
    expect(exportFromSource({ snapshot: merged, blueprints: [two.blueprint, one.blueprint] }, { style: 'round-trip', flows: ['login2'] }).files.map((f) => f.name)).toEqual([
      'sectioned.yaml',
    ]);
  });
});

describe('round-trip style, groups', () => {
  it('a group written with `parents` keeps the list form when its parent changes', () => {
    const b = new SnapshotBuilder(2000);
    const root = b.group('root');
    const other = b.group('other');
    const child = b.group('child', { parent: root.pk });
    const text = `version: 1
entries:
  - model: authentik_core.group
    id: root
    identifiers: {name: root}
  - model: authentik_core.group
    id: other
    identifiers: {name: other}
  - model: authentik_core.group
    identifiers: {name: child}
    attrs:
      parents: [!KeyOf root]
`;
    const rows = [root, other, child].map((group, idx): StoredBlueprintEntry => ({
      idx,
      model: 'authentik_core.group',
      objectPk: group.pk,
      snapshot: { ...recordOf('group', group).fields },
      unknownAttrs: null,
    }));
    const blueprint: StoredBlueprint = { pk: 'g', name: 'groups', sourceName: 'groups.yaml', document: parse(text), importedAt: 'x', entries: rows };
    b.groups[2] = { ...child, parent: other.pk };
    const result = exportFromSource(source(b, blueprint), { style: 'round-trip' });
    expect(result.document.entries[2]?.attrs).toEqual({ parents: [{ $tag: 'KeyOf', value: 'other' }] });
    b.groups[2] = { ...child, parent: null };
    expect(exportFromSource(source(b, blueprint), { style: 'round-trip' }).document.entries[2]?.attrs).toEqual({ parents: [] });
  });
});
