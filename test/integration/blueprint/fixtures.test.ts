import { describe, expect, it } from 'vitest';
import { importReportSchema } from '@shared/contract/blueprint-report';
import {
  ALL_IN_ORDER,
  actions,
  blueprintWorkspace,
  DEPENDENCIES,
  entries,
  fixture,
  fixtureNames,
  flowBySlug,
  importOk,
  policyByName,
  promptByName,
  stageByName,
} from './support';

describe('authentik fixture blueprints', () => {
  it('covers all 21 fixture files', () => {
    expect(fixtureNames()).toHaveLength(21);
    expect([...ALL_IN_ORDER].sort()).toEqual(fixtureNames());
  });

  it.each(fixtureNames())('%s imports into an empty workspace, and again idempotently', async (name) => {
    const ws = blueprintWorkspace();
    for (const dependency of DEPENDENCIES[name] ?? []) await importOk(ws, [fixture(dependency)]);
    const report = await importOk(ws, [fixture(name)]);
    expect(importReportSchema.parse(report)).toEqual(report);
    expect(report.committed).toBe(true);
    expect(actions(report)).not.toContain('error');
    const counts = ws.services.workspace.info().counts;

    const again = await importOk(ws, [fixture(name)]);
    expect(actions(again)).not.toContain('created');
    expect(actions(again).filter((a) => a !== 'unchanged' && a !== 'meta' && a !== 'skipped' && a !== 'kept-verbatim')).toEqual([]);
    expect(ws.services.workspace.info().counts).toEqual(counts);
    expect(ws.services.blueprints.list()).toHaveLength((DEPENDENCIES[name]?.length ?? 0) + 1);
  });

  it('imports all 21 files in one call, then again with no duplicates', async () => {
    const ws = blueprintWorkspace();
    const files = ALL_IN_ORDER.map(fixture);
    const started = performance.now();
    const report = await importOk(ws, files);
    const first = performance.now() - started;
    expect(report.totals.errors).toBe(0);
    expect(report.totals.entries).toBe(137);
    const counts = ws.services.workspace.info().counts;
    const restarted = performance.now();
    const again = await importOk(ws, files);
    const second = performance.now() - restarted;
    console.info(`import of all 21 fixtures: ${first.toFixed(1)} ms (again: ${second.toFixed(1)} ms); totals ${JSON.stringify(report.totals)}`);
    expect(again.totals.created).toBe(0);
    expect(ws.services.workspace.info().counts).toEqual(counts);
    // flows-login-2fa and the default authentication flow disagree about that flow's name/title and
    // the password stage's backends, so each import moves those two objects back and forth.
    expect(again.totals.updated).toBe(4);
    expect(ws.services.blueprints.list()).toHaveLength(21);
  });
});

describe('what the fixtures create', () => {
  it('default authentication flow: 4 bindings 10/20/30/100 and a failure_result policy binding on the password binding', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/flow-password-change.yaml')]);
    const report = await importOk(ws, [fixture('default/flow-default-authentication-flow.yaml')]);
    expect(entries(report)[0]).toMatchObject({ action: 'meta', note: 'requires Default - Password change flow: present' });

    const flow = flowBySlug(ws, 'default-authentication-flow');
    expect(flow).toMatchObject({ name: 'Welcome to authentik!', designation: 'authentication', authentication: 'none' });
    const bindings = ws.services.bindings.list(flow.pk);
    expect(bindings.map((b) => b.order)).toEqual([10, 20, 30, 100]);
    const stageNames = bindings.map((b) => ws.services.stages.get(b.stage).name);
    expect(stageNames).toEqual([
      'default-authentication-identification',
      'default-authentication-password',
      'default-authentication-mfa-validation',
      'default-authentication-login',
    ]);
    const password = bindings[1];
    expect(password).toMatchObject({ evaluate_on_plan: false, re_evaluate_policies: true });
    const policyBindings = ws.services.policyBindings.list(password?.pk ?? '');
    expect(policyBindings).toHaveLength(1);
    expect(policyBindings[0]).toMatchObject({
      order: 10,
      failure_result: true,
      policy: policyByName(ws, 'default-authentication-flow-password-stage').pk,
    });
    // configure_flow: !Find [authentik_flows.flow, [slug, default-password-change]]
    expect(stageByName(ws, 'default-authentication-password').config).toMatchObject({
      backends: [
        'authentik.core.auth.InbuiltBackend',
        'authentik.sources.kerberos.auth.KerberosBackend',
        'authentik.sources.ldap.auth.LDAPBackend',
        'authentik.core.auth.TokenBackend',
      ],
      configure_flow: flowBySlug(ws, 'default-password-change').pk,
    });
    expect(stageByName(ws, 'default-authentication-identification').config).toMatchObject({ user_fields: ['email', 'username'] });
  });

  it('without the password change flow, the meta entry is skipped with a warning and !Find gives null', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [fixture('default/flow-default-authentication-flow.yaml')]);
    const meta = entries(report)[0];
    expect(meta?.action).toBe('skipped');
    expect(meta?.warnings.join()).toContain('Default - Password change flow');
    expect(stageByName(ws, 'default-authentication-password').config.configure_flow).toBeNull();
  });

  it('enrollment (2 stage): prompts written with prompt_type, two prompt stages, four bindings', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('example/flows-enrollment-2-stage.yaml')]);
    const types = Object.fromEntries(ws.services.prompts.list().map((p) => [p.field_key, p.type]));
    expect(types).toEqual({ username: 'username', password: 'password', password_repeat: 'password', name: 'text', email: 'email' });
    const first = stageByName(ws, 'default-enrollment-prompt-first');
    expect(first.config.fields).toEqual(
      ['default-enrollment-field-username', 'default-enrollment-field-password', 'default-enrollment-field-password-repeat'].map(
        (name) => promptByName(ws, name).pk,
      ),
    );
    const flow = flowBySlug(ws, 'default-enrollment-flow');
    expect(flow.authentication).toBe('require_unauthenticated');
    expect(ws.services.bindings.list(flow.pk).map((b) => b.order)).toEqual([10, 11, 20, 100]);
    expect(stageByName(ws, 'default-enrollment-user-write').config.user_creation_mode).toBe('always_create');
  });

  it('user settings: ak-locale prompt, expressions, validation policy on the prompt stage', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/flow-default-user-settings-flow.yaml')]);
    expect(promptByName(ws, 'default-user-settings-field-locale')).toMatchObject({ type: 'ak-locale', field_key: 'attributes.settings.locale' });
    expect(promptByName(ws, 'default-user-settings-field-username')).toMatchObject({ initial_value_expression: true, order: 200 });
    const stage = stageByName(ws, 'default-user-settings');
    expect(stage.config.validation_policies).toEqual([policyByName(ws, 'default-user-settings-authorization').pk]);
    expect(stage.config.fields).toHaveLength(4);
  });

  it('recovery: explicit binding pk, integer token_expiry, absent policy binding is a no-op', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [fixture('example/flows-recovery-email-verification.yaml')]);
    const binding = ws.services.bindings.get('1219d06e-2c06-4c5b-a162-78e3959c6cf0');
    expect(binding).toMatchObject({ order: 30, evaluate_on_plan: true, re_evaluate_policies: false });
    expect(stageByName(ws, 'default-recovery-email').config).toMatchObject({ token_expiry: 'minutes=30', use_global_settings: true });
    expect(entries(report).at(-1)).toMatchObject({ action: 'unchanged', note: 'state absent: nothing to delete' });
    const flow = flowBySlug(ws, 'default-recovery-flow');
    const identification = ws.services.bindings.list(flow.pk).find((b) => b.order === 10);
    expect(ws.services.policyBindings.list(identification?.pk ?? '')).toHaveLength(1);
    const email = ws.services.bindings.list(flow.pk).find((b) => b.order === 20);
    expect(ws.services.policyBindings.list(email?.pk ?? '')).toHaveLength(0);
  });

  it('oobe: old-style binding flags written out, absent policy, shared stages', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/flow-oobe.yaml')]);
    const flow = flowBySlug(ws, 'initial-setup');
    expect(flow.denied_action).toBe('message_continue');
    const bindings = ws.services.bindings.list(flow.pk);
    expect(bindings.map((b) => [b.order, b.evaluate_on_plan, b.re_evaluate_policies])).toEqual([
      [10, true, false],
      [20, false, true],
      [100, true, false],
    ]);
    expect(ws.services.policyBindings.list(flow.pk)).toHaveLength(1);
    expect(ws.services.policyBindings.list(bindings[1]?.pk ?? '')).toHaveLength(1);
    expect(promptByName(ws, 'initial-setup-field-header').type).toBe('static');
  });

  it('webauthn setup: the old model name becomes the current kind, with a warning', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [fixture('default/flow-default-authenticator-webauthn-setup.yaml')]);
    expect(report.files[0]?.versionGuess?.range).toContain('<=2024.2');
    const entry = entries(report)[1];
    expect(entry?.model).toBe('authentik_stages_authenticator_webauthn.authenticatorwebauthnstage');
    expect(entry?.warnings.join()).toContain('old name');
    const stage = stageByName(ws, 'default-authenticator-webauthn-setup');
    expect(stage.kind).toBe('authentik_stages_authenticator_webauthn.authenticatorwebauthnstage');
    expect(stage.config.configure_flow).toBe(flowBySlug(ws, 'default-authenticator-webauthn-setup').pk);
  });

  it('login 2fa: the obsolete `template` attribute is kept with a warning', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [fixture('example/flows-login-2fa.yaml')]);
    const identification = entries(report)[3];
    expect(identification?.warnings.join()).toContain('`template` is not a field');
    const stored = ws.services.blueprints.get(ws.services.blueprints.list()[0]?.pk ?? '');
    expect(stored.entries[3]?.unknownAttrs).toEqual({ template: 'stages/identification/login.html' });
    expect(stored.entries[3]?.snapshot).toMatchObject({ name: 'default-authentication-identification', user_fields: ['email', 'username'] });
    const mfa = ws.services.bindings.list(flowBySlug(ws, 'default-authentication-flow').pk).find((b) => b.order === 30);
    expect(ws.services.policyBindings.list(mfa?.pk ?? '')[0]?.policy).toBe(policyByName(ws, 'test-not-app-password').pk);
  });

  it('source enrollment: policy bindings on the flow and on a stage binding (!KeyOf of a binding as target)', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/flow-default-source-enrollment.yaml')]);
    const flow = flowBySlug(ws, 'default-source-enrollment');
    expect(ws.services.policyBindings.list(flow.pk)[0]?.policy).toBe(policyByName(ws, 'default-source-enrollment-if-sso').pk);
    const promptBinding = ws.services.bindings.list(flow.pk).find((b) => b.order === 0);
    expect(ws.services.policyBindings.list(promptBinding?.pk ?? '')[0]?.policy).toBe(
      policyByName(ws, 'default-source-enrollment-if-username').pk,
    );
    expect(promptByName(ws, 'default-source-enrollment-field-username').type).toBe('text');
  });

  it('default brand: metaapplyblueprints present, the brand kept verbatim with warnings', async () => {
    const ws = blueprintWorkspace();
    for (const dependency of DEPENDENCIES['default/default-brand.yaml'] ?? []) await importOk(ws, [fixture(dependency)]);
    const report = await importOk(ws, [fixture('default/default-brand.yaml')]);
    expect(actions(report)).toEqual(['meta', 'meta', 'meta', 'skipped', 'kept-verbatim']);
    const brand = entries(report)[4];
    expect(brand?.warnings.join('\n')).toContain('kept as written; Flowbench does not model authentik_brands.brand');
    const head = ws.services.blueprints.list().find((b) => b.name === 'Default - Brand');
    const stored = ws.services.blueprints.get(head?.pk ?? '');
    expect(stored.entries[4]).toMatchObject({ model: 'authentik_brands.brand', objectPk: null, snapshot: null });
    expect((stored.document.entries[4] as { model: string }).model).toBe('authentik_brands.brand');
  });

  it('password policy and unenrollment files', async () => {
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/default-password-policy.yaml'), fixture('example/flows-unenrollment.yaml')]);
    expect(policyByName(ws, 'default-password-change-password-policy').config).toMatchObject({
      check_zxcvbn: true,
      length_min: 8,
      zxcvbn_score_threshold: 2,
    });
    const flow = flowBySlug(ws, 'default-unenrollment-flow');
    const [binding] = ws.services.bindings.list(flow.pk);
    expect(binding).toMatchObject({ order: 10, re_evaluate_policies: false });
    expect(ws.services.stages.get(binding?.stage ?? '').kind).toBe('authentik_stages_user_delete.userdeletestage');
  });
});
