import { describe, expect, it } from 'vitest';
import {
  actions,
  blueprintWorkspace,
  entries,
  file,
  flowBySlug,
  importFails,
  importOk,
  stageByName,
} from './support';

const FLOW = 'authentik_flows.flow';
const BINDING = 'authentik_flows.flowstagebinding';
const POLICY_BINDING = 'authentik_policies.policybinding';
const DUMMY_STAGE = 'authentik_stages_dummy.dummystage';
const DUMMY_POLICY = 'authentik_policies_dummy.dummypolicy';

function flowEntry(slug: string, extra = '', state = ''): string {
  return `- model: ${FLOW}
  ${state ? `state: ${state}\n  ` : ''}identifiers:
    slug: ${slug}
  attrs:
    name: ${slug}
    title: Title of ${slug}
    designation: authentication${extra}
`;
}

const blueprint = (body: string, top = ''): string => `version: 1\n${top}entries:\n${body}`;

describe('states (spec §7.2)', () => {
  it('present: creates, then updates only the fields the entry mentions', async () => {
    const ws = blueprintWorkspace();
    const existing = ws.services.flows.create({
      name: 'Old',
      slug: 'login',
      title: 'Keep me',
      designation: 'authentication',
      layout: 'content_left',
    });
    const report = await importOk(ws, [
      file('a.yaml', blueprint(`- model: ${FLOW}\n  identifiers: {slug: login}\n  attrs: {name: New name}\n`)),
    ]);
    expect(entries(report)[0]).toMatchObject({ action: 'updated', pk: existing.pk });
    expect(ws.services.flows.get(existing.pk)).toEqual({ ...existing, name: 'New name' });

    const again = await importOk(ws, [
      file('a.yaml', blueprint(`- model: ${FLOW}\n  identifiers: {slug: login}\n  attrs: {name: New name}\n`)),
    ]);
    expect(actions(again)).toEqual(['unchanged']);
  });

  it('created: makes a missing object, leaves an existing one alone but still registers it for !KeyOf', async () => {
    const ws = blueprintWorkspace();
    const existing = ws.services.flows.create({ name: 'Mine', slug: 'login', title: 'Mine', designation: 'authentication' });
    const report = await importOk(ws, [
      file(
        'a.yaml',
        blueprint(`${flowEntry('login', '', 'created')}  id: flow
${flowEntry('other', '', 'created')}- model: ${DUMMY_STAGE}
  id: stage
  identifiers: {name: dummy}
- model: ${BINDING}
  identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 10}
`),
      ),
    ]);
    expect(actions(report)).toEqual(['unchanged', 'created', 'created', 'created']);
    expect(entries(report)[0]?.note).toContain('state created');
    expect(ws.services.flows.get(existing.pk)).toEqual(existing);
    expect(ws.services.bindings.list(existing.pk)).toHaveLength(1);
  });

  it('must_created: fails when the object exists, creates it otherwise', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [file('a.yaml', blueprint(flowEntry('fresh', '', 'must_created')))]);
    expect(flowBySlug(ws, 'fresh').title).toBe('Title of fresh');

    const report = await importFails(ws, [file('a.yaml', blueprint(flowEntry('fresh', '', 'must_created')))]);
    expect(report.issues[0]).toMatchObject({
      code: 'must-created-exists',
      message: 'State is set to must_created and object exists already',
      entryIndex: 0,
      model: FLOW,
      identifiers: 'slug=fresh',
      path: 'state',
      line: 4,
      column: 3,
    });
  });

  it('absent: deletes the object with everything that cascades; no-op when missing', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [
      file(
        'setup.yaml',
        blueprint(`${flowEntry('doomed')}  id: flow
- model: ${DUMMY_STAGE}
  id: stage
  identifiers: {name: dummy}
- model: ${DUMMY_POLICY}
  id: policy
  identifiers: {name: pol}
- model: ${BINDING}
  id: binding
  identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 10}
- model: ${POLICY_BINDING}
  identifiers: {target: !KeyOf binding, policy: !KeyOf policy, order: 0}
- model: ${POLICY_BINDING}
  identifiers: {target: !KeyOf flow, policy: !KeyOf policy, order: 0}
`),
      ),
    ]);
    const counts = ws.services.workspace.info().counts;
    expect(counts).toMatchObject({ flows: 1, bindings: 1, policyBindings: 2 });

    const report = await importOk(ws, [
      file('remove.yaml', blueprint(`${flowEntry('doomed', '', 'absent')}${flowEntry('never-there', '', 'absent')}`)),
    ]);
    expect(actions(report)).toEqual(['deleted', 'unchanged']);
    expect(entries(report)[1]?.note).toBe('state absent: nothing to delete');
    expect(ws.services.workspace.info().counts).toMatchObject({ flows: 0, bindings: 0, policyBindings: 0, stages: 1, policies: 1 });
  });
});

describe('conditions', () => {
  const text = blueprint(`- model: ${FLOW}
  id: flow
  conditions: [true, !Context enabled]
  identifiers: {slug: maybe}
  attrs: {name: Maybe, title: Maybe, designation: authentication}
- model: ${DUMMY_STAGE}
  identifiers: {name: after}
  conditions:
    - !Condition [NOR, !Context enabled]
`);

  it('skips an entry whose condition is false, and the skipped entry has no object for !KeyOf', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [file('c.yaml', text)], { context: { enabled: false } });
    expect(entries(report)[0]).toMatchObject({ action: 'skipped', note: 'skipped: condition false (condition 2)' });
    expect(entries(report)[1]?.action).toBe('created');
    expect(ws.services.flows.list()).toEqual([]);

    const keyOf = await importFails(ws, [
      file(
        'k.yaml',
        blueprint(`- model: ${FLOW}
  id: flow
  conditions: [false]
  identifiers: {slug: x}
- model: ${BINDING}
  identifiers: {target: !KeyOf flow, stage: x, order: 1}
`),
      ),
    ]);
    expect(keyOf.issues[0]).toMatchObject({ code: 'KEYOF_NOT_FOUND', entryIndex: 1, path: 'identifiers.target' });
  });

  it('applies the entry when every condition holds (file context overridden by the caller)', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [file('c.yaml', text.replace('version: 1\n', 'version: 1\ncontext:\n  enabled: false\n'))], {
      context: { enabled: true },
    });
    expect(actions(report)).toEqual(['created', 'skipped']);
    expect(flowBySlug(ws, 'maybe').name).toBe('Maybe');
  });
});

describe('identifiers and lookups', () => {
  it('matches by pk OR by all other identifiers, and maps a declared pk onto the object found', async () => {
    const ws = blueprintWorkspace();
    const flow = ws.services.flows.create({ name: 'A', slug: 'a', title: 'A', designation: 'authentication' });
    const stage = ws.services.stages.create({ name: 'dummy', kind: DUMMY_STAGE, config: {} });
    const other = '00000000-0000-4000-8000-00000000000b';
    const report = await importOk(ws, [
      file(
        'ids.yaml',
        blueprint(`- model: ${FLOW}
  identifiers: {pk: ${flow.pk}, slug: renamed}
  attrs: {title: By pk}
- model: ${FLOW}
  identifiers: {pk: ${other}, slug: renamed}
  attrs: {name: By slug}
- model: ${BINDING}
  identifiers: {target: ${other}, stage: ${stage.pk}, order: 5}
`),
      ),
    ]);
    expect(actions(report)).toEqual(['updated', 'updated', 'created']);
    // Entry 1 matched by pk (and its identifiers won: the slug changed); entry 2 did not find
    // pk `other` but found the flow by slug, so `other` now means that flow.
    expect(ws.services.flows.list()).toEqual([{ ...flow, slug: 'renamed', title: 'By pk', name: 'By slug' }]);
    expect(ws.services.bindings.list(flow.pk).map((b) => b.order)).toEqual([5]);
  });

  it('refuses entries without identifiers and identifiers the model does not have', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file(
        'bad.yaml',
        blueprint(`- model: ${FLOW}
  attrs: {name: x}
- model: ${FLOW}
  identifiers: {slug: x, colour: blue}
`),
      ),
    ]);
    expect(report.issues.map((i) => [i.entryIndex, i.code, i.path])).toEqual([
      [0, 'no-identifiers', 'identifiers'],
      [1, 'invalid-identifier-field', 'identifiers.colour'],
    ]);
    expect(report.issues[0]?.message).toBe('No or invalid identifiers');
    expect(report.issues[1]?.message).toContain('Invalid identifier field "colour"');
    expect(report.issues[1]).toMatchObject({ line: 6, column: 26 });
  });

  it('reports an unknown model as authentik does', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [file('m.yaml', blueprint(`- model: authentik_nope.thing\n  identifiers: {name: x}\n`))]);
    expect(report.issues[0]).toMatchObject({ code: 'unknown-model', message: 'App or Model does not exist: authentik_nope.thing', path: 'model' });
  });
});

describe('!KeyOf, !Find and !FindObject', () => {
  it('!KeyOf of a flow and of a stage binding works as a policy binding target (their pks are PBM pks)', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [
      file(
        'pbm.yaml',
        blueprint(`${flowEntry('guarded')}  id: flow
- model: ${DUMMY_STAGE}
  id: stage
  identifiers: {name: dummy}
- model: ${BINDING}
  id: binding
  identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 10}
- model: ${DUMMY_POLICY}
  id: policy
  identifiers: {name: pol}
  attrs: {result: true}
- model: ${POLICY_BINDING}
  identifiers: {target: !KeyOf flow, policy: !KeyOf policy, order: 0}
- model: ${POLICY_BINDING}
  identifiers: {target: !KeyOf binding, policy: !KeyOf policy, order: 0}
  attrs: {negate: true}
`),
      ),
    ]);
    const flow = flowBySlug(ws, 'guarded');
    const [binding] = ws.services.bindings.list(flow.pk);
    expect(ws.services.policyBindings.list(flow.pk)).toMatchObject([{ negate: false }]);
    expect(ws.services.policyBindings.list(binding?.pk ?? '')).toMatchObject([{ negate: true }]);
  });

  it('!Find sees an object created earlier in the same file; !FindObject returns its data', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [
      file(
        'find.yaml',
        blueprint(`${flowEntry('setup-flow').replace('designation: authentication', 'designation: stage_configuration')}- model: authentik_stages_authenticator_totp.authenticatortotpstage
  identifiers: {name: totp}
  attrs:
    digits: 6
    configure_flow: !Find [${FLOW}, [slug__iexact, SETUP-FLOW]]
    friendly_name: !AtIndex [!FindObject [${FLOW}, [slug, setup-flow]], title]
`),
      ),
    ]);
    expect(stageByName(ws, 'totp').config).toMatchObject({
      configure_flow: flowBySlug(ws, 'setup-flow').pk,
      friendly_name: 'Title of setup-flow',
    });
  });

  it('!Find with an unsupported Django lookup is a clear error', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file('find.yaml', blueprint(`- model: ${DUMMY_STAGE}\n  identifiers: {name: !Find [${FLOW}, [slug__regex, x]]}\n`)),
    ]);
    expect(report.issues[0]?.code).toBe('FIND_BAD_ARGS');
    expect(report.issues[0]?.message).toContain('"regex" is not supported');
  });

  it('!Find on the old WebAuthn model name finds the stage', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [
      file(
        'webauthn.yaml',
        blueprint(`- model: authentik_stages_authenticator_webauthn.authenticatewebauthnstage
  identifiers: {name: keys}
- model: authentik_stages_authenticator_validate.authenticatorvalidatestage
  identifiers: {name: validate}
  attrs:
    configuration_stages:
      - !Find [authentik_stages_authenticator_webauthn.authenticatewebauthnstage, [name, keys]]
`),
      ),
    ]);
    expect(stageByName(ws, 'validate').config.configuration_stages).toEqual([stageByName(ws, 'keys').pk]);
  });
});

describe('entries as a map of sections', () => {
  it('imports sections in order and keeps them in the stored document', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [
      file(
        'sections.yaml',
        `version: 1
metadata: {name: Sectioned}
entries:
  flows:
    - model: ${FLOW}
      id: flow
      identifiers: {slug: sectioned}
      attrs: {name: S, title: S, designation: authentication}
  stages:
    - model: ${DUMMY_STAGE}
      id: stage
      identifiers: {name: dummy}
  empty: []
  bindings:
    - model: ${BINDING}
      identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 10}
`,
      ),
    ]);
    expect(actions(report)).toEqual(['created', 'created', 'created']);
    expect(ws.services.bindings.list(flowBySlug(ws, 'sectioned').pk)).toHaveLength(1);
    const stored = ws.services.blueprints.get(ws.services.blueprints.list()[0]?.pk ?? '');
    expect(stored.document.sections).toEqual(['flows', 'stages', 'empty', 'bindings']);
  });
});

describe('models Flowbench does not model, and unknown attributes', () => {
  it('keeps unmodeled entries verbatim with a warning; !KeyOf and !Find reach them', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [
      file(
        'apps.yaml',
        blueprint(`${flowEntry('app-flow').replace('designation: authentication', 'designation: authorization')}  id: flow
- model: authentik_providers_oauth2.oauth2provider
  id: provider
  identifiers: {name: my-provider}
  attrs: {authorization_flow: !KeyOf flow, client_type: confidential}
- model: authentik_core.application
  id: app
  identifiers: {slug: my-app}
  attrs: {name: My app, provider: !KeyOf provider}
- model: ${POLICY_BINDING}
  identifiers: {target: !KeyOf app, group: 00000000-0000-4000-8000-000000000001, order: 0}
- model: authentik_core.application
  identifiers: {slug: second}
  conditions:
    - !Condition [AND, !Find [authentik_core.application, [slug, my-app]], !Find [authentik_providers_oauth2.oauth2provider, [name, my-provider]]]
`),
      ),
    ]);
    expect(actions(report)).toEqual(['created', 'kept-verbatim', 'kept-verbatim', 'kept-verbatim', 'kept-verbatim']);
    expect(entries(report)[1]?.warnings).toContain('kept as written; Flowbench does not model authentik_providers_oauth2.oauth2provider');
    expect(entries(report)[3]?.warnings.join()).toContain('policy binding hangs on an object Flowbench does not model');
    const stored = ws.services.blueprints.get(ws.services.blueprints.list()[0]?.pk ?? '');
    expect(stored.document.entries).toHaveLength(5);
    expect(stored.entries.map((e) => e.objectPk === null)).toEqual([false, true, true, true, true]);
  });

  it('!Find on an unmodeled model also searches blueprints stored earlier; permissions get a warning', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [
      file('app.yaml', blueprint(`- model: authentik_core.application\n  identifiers: {slug: stored-app}\n  attrs: {name: Stored}\n`)),
    ]);
    const report = await importOk(ws, [
      file(
        'uses-app.yaml',
        blueprint(`- model: ${DUMMY_STAGE}
  identifiers: {name: when-app-exists}
  conditions: [!Find [authentik_core.application, [name, Stored]]]
  permissions:
    - {permission: view_stage, user: 1}
- model: ${DUMMY_STAGE}
  identifiers: {name: when-other-app-exists}
  conditions: [!Find [authentik_core.application, [slug, missing]]]
`),
      ),
    ]);
    expect(actions(report)).toEqual(['created', 'skipped']);
    expect(entries(report)[0]?.warnings).toEqual(['entry `permissions` are kept as written; Flowbench does not apply object permissions']);
    expect(entries(report)[1]?.warnings.join()).toContain('found nothing: Flowbench does not model authentik_core.application');
  });

  it('keeps attributes the Flowbench model lacks, with a warning, in unknown_attrs', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [
      file(
        'u.yaml',
        blueprint(`- model: authentik_stages_identification.identificationstage
  identifiers: {name: ident}
  attrs:
    user_fields: [username]
    template: stages/identification/login.html
    future_field: {nested: [1, 2]}
`),
      ),
    ]);
    expect(entries(report)[0]?.warnings).toEqual([
      "`template`, `future_field` are not fields of Flowbench's Identification Stage; kept as written and written back on export",
    ]);
    const stored = ws.services.blueprints.get(ws.services.blueprints.list()[0]?.pk ?? '');
    expect(stored.entries[0]?.unknownAttrs).toEqual({ template: 'stages/identification/login.html', future_field: { nested: [1, 2] } });
    expect(stageByName(ws, 'ident').config).not.toHaveProperty('template');
  });

  it('accepts prompt_type for type, remembers it in the snapshot, refuses both with different values', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [
      file('p.yaml', blueprint(`- model: authentik_stages_prompt.prompt\n  identifiers: {name: p}\n  attrs: {field_key: k, label: K, prompt_type: email}\n`)),
    ]);
    const prompt = ws.services.prompts.list()[0];
    expect(prompt?.type).toBe('email');
    const stored = ws.services.blueprints.get(ws.services.blueprints.list()[0]?.pk ?? '');
    expect(stored.entries[0]?.snapshot).toMatchObject({ prompt_type: 'email' });
    expect(stored.entries[0]?.snapshot).not.toHaveProperty('type');

    const both = await importFails(ws, [
      file('p.yaml', blueprint(`- model: authentik_stages_prompt.prompt\n  identifiers: {name: p}\n  attrs: {field_key: k, label: K, type: text, prompt_type: email}\n`)),
    ]);
    expect(both.issues[0]).toMatchObject({ code: 'invalid-value', path: 'attrs.prompt_type' });
  });
});

describe('errors name the entry, the field and the position, and say what to do', () => {
  it('a value the model refuses', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file(
        'err.yaml',
        blueprint(`- model: ${FLOW}
  identifiers:
    slug: broken
  attrs:
    name: Broken
    title: Broken
    designation: sideways
`),
      ),
    ]);
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({
      fileName: 'err.yaml',
      entryIndex: 0,
      model: FLOW,
      identifiers: 'slug=broken',
      path: 'attrs.designation',
      line: 9,
      column: 5,
      code: 'invalid-value',
    });
    expect(report.issues[0]?.hint).toContain('Fix the value');
  });

  it('a reference to a missing object', async () => {
    const ws = blueprintWorkspace();
    const report = await importFails(ws, [
      file(
        'ref.yaml',
        blueprint(`- model: authentik_stages_password.passwordstage
  identifiers: {name: pw}
  attrs:
    backends: [authentik.core.auth.InbuiltBackend]
    configure_flow: 00000000-0000-4000-8000-0000000000ff
`),
      ),
    ]);
    expect(report.issues[0]).toMatchObject({ code: 'not-found', path: 'attrs.configure_flow', line: 7 });
  });
});
