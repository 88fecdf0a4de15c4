import { describe, expect, it } from 'vitest';
import {
  DUMMY_POLICY,
  DUMMY_STAGE,
  failure,
  IDENTIFICATION_STAGE,
  loginFlow,
  PASSWORD_STAGE,
  PROMPT_STAGE,
  testWorkspace,
  USER_WRITE_STAGE,
  type TestWorkspace,
} from './support';

const WEBAUTHN = 'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage';
const WEBAUTHN_OLD_NAME = 'authentik_stages_authenticator_webauthn.authenticatewebauthnstage';

function prompt(t: TestWorkspace, name: string) {
  return t.s.prompts.create({ name, field_key: name, label: name, type: 'text' });
}

describe('stages service', () => {
  it('creates a stage with its kind defaults and lists by name, optionally by kind (aliases resolved)', () => {
    const t = testWorkspace();
    const pw = t.s.stages.create({
      name: 'b-password',
      kind: PASSWORD_STAGE,
      config: { backends: ['authentik.core.auth.InbuiltBackend'] },
    });
    expect(pw.config).toEqual({
      backends: ['authentik.core.auth.InbuiltBackend'],
      configure_flow: null,
      failed_attempts_before_cancel: 5,
      allow_show_password: false,
    });
    const webauthn = t.s.stages.create({ name: 'a-webauthn', kind: WEBAUTHN_OLD_NAME, config: {} });
    expect(webauthn.kind).toBe(WEBAUTHN);
    expect(t.s.stages.list().map((s) => s.name)).toEqual(['a-webauthn', 'b-password']);
    expect(t.s.stages.list({ kind: WEBAUTHN_OLD_NAME }).map((s) => s.name)).toEqual(['a-webauthn']);
    expect(t.s.stages.list({ kind: PASSWORD_STAGE }).map((s) => s.pk)).toEqual([pw.pk]);
  });

  it('refuses unknown kinds and invalid configs with INVALID_INPUT', () => {
    const t = testWorkspace();
    expect(
      failure(() =>
        t.s.stages.create({ name: 'x', kind: 'authentik_stages_nope.nopestage', config: {} }),
      ).code,
    ).toBe('INVALID_INPUT');
    const bad = failure(() =>
      t.s.stages.create({ name: 'x', kind: PASSWORD_STAGE, config: { backends: [] } }),
    );
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.issues?.[0]?.path).toEqual(['config', 'backends']);
  });

  it('refuses a duplicate name with CONFLICT', () => {
    const t = testWorkspace();
    t.s.stages.create({ name: 'dummy', kind: DUMMY_STAGE, config: {} });
    const other = t.s.stages.create({ name: 'other', kind: DUMMY_STAGE, config: {} });
    expect(
      failure(() => t.s.stages.create({ name: 'dummy', kind: DUMMY_STAGE, config: {} })),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'A stage named "dummy" already exists.',
    });
    expect(
      failure(() => t.s.stages.update({ pk: other.pk, patch: { name: 'dummy' } })),
    ).toMatchObject({ code: 'CONFLICT' });
  });

  it('renames and replaces config (defaults re-applied, kind kept)', () => {
    const t = testWorkspace();
    const pw = t.s.stages.create({
      name: 'pw',
      kind: PASSWORD_STAGE,
      config: {
        backends: ['authentik.core.auth.InbuiltBackend'],
        failed_attempts_before_cancel: 9,
      },
    });
    const renamed = t.s.stages.update({ pk: pw.pk, patch: { name: 'password' } });
    expect(renamed).toEqual({ ...pw, name: 'password' });
    const reconfigured = t.s.stages.update({
      pk: pw.pk,
      patch: { config: { backends: ['authentik.core.auth.TokenBackend'] } },
    });
    expect(reconfigured.config).toMatchObject({
      backends: ['authentik.core.auth.TokenBackend'],
      failed_attempts_before_cancel: 5,
    });
    expect(
      failure(() => t.s.stages.update({ pk: pw.pk, patch: { config: { backends: 'x' } } }))
        .issues?.[0]?.path,
    ).toEqual(['patch', 'config', 'backends']);
  });

  it('deletes a stage with its bindings and their policy bindings', () => {
    const t = testWorkspace();
    const { flow, stages, bindings } = loginFlow(t);
    const policy = t.s.policies.create({ name: 'p', kind: DUMMY_POLICY, config: {} });
    t.s.policyBindings.create({ target: bindings[2]!.pk, policy: policy.pk, order: 0 });
    t.s.stages.delete(stages.dummy.pk);
    expect(t.s.bindings.list(flow.pk).map((b) => b.stage)).toEqual([
      stages.identification.pk,
      stages.password.pk,
    ]);
    expect(t.ws.db.prepare('SELECT count(*) FROM policy_bindings').pluck().get()).toBe(0);
    expect(failure(() => t.s.stages.get(stages.dummy.pk)).code).toBe('NOT_FOUND');
  });

  describe('references in configs', () => {
    it('checks that a referenced stage exists and has the right kind', () => {
      const t = testWorkspace();
      const dummy = t.s.stages.create({ name: 'dummy', kind: DUMMY_STAGE, config: {} });
      const missing = '99999999-9999-4999-8999-999999999999';
      expect(
        failure(() =>
          t.s.stages.create({
            name: 'id',
            kind: IDENTIFICATION_STAGE,
            config: { password_stage: missing },
          }),
        ),
      ).toMatchObject({
        code: 'NOT_FOUND',
        message: `config.password_stage: stage "${missing}" does not exist.`,
      });
      expect(
        failure(() =>
          t.s.stages.create({
            name: 'id',
            kind: IDENTIFICATION_STAGE,
            config: { password_stage: dummy.pk },
          }),
        ),
      ).toMatchObject({
        code: 'INVALID_INPUT',
        message: 'config.password_stage: stage "dummy" is a Dummy Stage, not a Password Stage.',
      });
      expect(t.s.stages.list().map((s) => s.name)).toEqual(['dummy']);
    });

    it('checks flows, groups, prompts and policies referenced by a config', () => {
      const t = testWorkspace();
      const missing = '99999999-9999-4999-8999-999999999999';
      expect(
        failure(() =>
          t.s.stages.create({
            name: 'id',
            kind: IDENTIFICATION_STAGE,
            config: { recovery_flow: missing },
          }),
        ).code,
      ).toBe('NOT_FOUND');
      expect(
        failure(() =>
          t.s.stages.create({
            name: 'uw',
            kind: USER_WRITE_STAGE,
            config: { create_users_group: missing },
          }),
        ).message,
      ).toBe(`config.create_users_group: group "${missing}" does not exist.`);
      const p = prompt(t, 'username');
      expect(
        failure(() =>
          t.s.stages.create({
            name: 'pr',
            kind: PROMPT_STAGE,
            config: { fields: [p.pk, missing] },
          }),
        ).message,
      ).toBe(`config.fields: prompt "${missing}" does not exist.`);
      expect(
        failure(() =>
          t.s.stages.create({
            name: 'pr',
            kind: PROMPT_STAGE,
            config: { fields: [p.pk], validation_policies: [missing] },
          }),
        ).message,
      ).toBe(`config.validation_policies: policy "${missing}" does not exist.`);
      // and on update
      const ok = t.s.stages.create({ name: 'pr', kind: PROMPT_STAGE, config: { fields: [p.pk] } });
      expect(
        failure(() => t.s.stages.update({ pk: ok.pk, patch: { config: { fields: [missing] } } }))
          .code,
      ).toBe('NOT_FOUND');
    });

    it('refuses to delete a stage another stage holds in a single reference (IN_USE)', () => {
      const t = testWorkspace();
      const pw = t.s.stages.create({
        name: 'pw',
        kind: PASSWORD_STAGE,
        config: { backends: ['authentik.core.auth.InbuiltBackend'] },
      });
      const id = t.s.stages.create({
        name: 'ident',
        kind: IDENTIFICATION_STAGE,
        config: { password_stage: pw.pk },
      });
      expect(failure(() => t.s.stages.delete(pw.pk))).toMatchObject({
        code: 'IN_USE',
        message: 'Stage "pw" is used by stage "ident" (password_stage). Change that field first.',
      });
      t.s.stages.update({ pk: id.pk, patch: { config: { ...id.config, password_stage: null } } });
      t.s.stages.delete(pw.pk);
    });

    it('drops a deleted prompt or policy from list references (authentik M2M), emitting stage updates', () => {
      const t = testWorkspace();
      const a = prompt(t, 'a');
      const b = prompt(t, 'b');
      const policy = t.s.policies.create({ name: 'check', kind: DUMMY_POLICY, config: {} });
      const stage = t.s.stages.create({
        name: 'pr',
        kind: PROMPT_STAGE,
        config: { fields: [a.pk, b.pk], validation_policies: [policy.pk] },
      });
      t.events.length = 0;
      t.s.prompts.delete(a.pk);
      expect(t.s.stages.get(stage.pk).config).toEqual({
        fields: [b.pk],
        validation_policies: [policy.pk],
      });
      expect(t.events).toEqual([
        { entity: 'stage', action: 'updated', pk: stage.pk },
        { entity: 'prompt', action: 'deleted', pk: a.pk },
      ]);
      t.s.policies.delete(policy.pk);
      expect(t.s.stages.get(stage.pk).config).toEqual({ fields: [b.pk], validation_policies: [] });
    });

    it('refuses to delete the last field of a prompt stage rather than leave the stage invalid', () => {
      const t = testWorkspace();
      const only = prompt(t, 'only');
      t.s.stages.create({ name: 'pr', kind: PROMPT_STAGE, config: { fields: [only.pk] } });
      expect(failure(() => t.s.prompts.delete(only.pk))).toMatchObject({
        code: 'IN_USE',
        message:
          'Prompt "only" is used by stage "pr" (fields, which cannot be left empty). Change that field first.',
      });
      expect(t.s.prompts.list()).toHaveLength(1);
    });

    it('drops a deleted stage from configuration_stages lists', () => {
      const t = testWorkspace();
      const totp = t.s.stages.create({
        name: 'totp',
        kind: 'authentik_stages_authenticator_totp.authenticatortotpstage',
        config: { digits: 6 },
      });
      const validate = t.s.stages.create({
        name: 'validate',
        kind: 'authentik_stages_authenticator_validate.authenticatorvalidatestage',
        config: { configuration_stages: [totp.pk] },
      });
      t.s.stages.delete(totp.pk);
      expect(t.s.stages.get(validate.pk).config.configuration_stages).toEqual([]);
    });

    it('refuses to delete a group a user write stage creates users into', () => {
      const t = testWorkspace();
      const group = t.s.groups.create({ name: 'new-users' });
      t.s.stages.create({
        name: 'write',
        kind: USER_WRITE_STAGE,
        config: { create_users_group: group.pk },
      });
      expect(failure(() => t.s.groups.delete(group.pk))).toMatchObject({ code: 'IN_USE' });
    });
  });
});
