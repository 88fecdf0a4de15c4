import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { policyRegistry, stageRegistry, type KindDef } from '../../../src/shared/model';
import {
  isPolicyKind,
  isStageKind,
  policyKinds,
  stageKinds,
} from '../../../src/shared/model/registry-keys';

/** Stage and policy models used by the stored authentik blueprints (fixtures/authentik-blueprints). */
const FIXTURE_MODELS = [
  'authentik_policies_expression.expressionpolicy',
  'authentik_policies_password.passwordpolicy',
  'authentik_stages_authenticator_email.authenticatoremailstage',
  'authentik_stages_authenticator_static.authenticatorstaticstage',
  'authentik_stages_authenticator_totp.authenticatortotpstage',
  'authentik_stages_authenticator_validate.authenticatorvalidatestage',
  'authentik_stages_authenticator_webauthn.authenticatewebauthnstage',
  'authentik_stages_consent.consentstage',
  'authentik_stages_email.emailstage',
  'authentik_stages_identification.identificationstage',
  'authentik_stages_password.passwordstage',
  'authentik_stages_prompt.promptstage',
  'authentik_stages_user_delete.userdeletestage',
  'authentik_stages_user_login.userloginstage',
  'authentik_stages_user_logout.userlogoutstage',
  'authentik_stages_user_write.userwritestage',
];

/** Stage models of spec §7.6 (2025.2 ModelEnum) and policy models of spec §6.8. */
const SPEC_MODELS = [
  'authentik_stages_authenticator_duo.authenticatorduostage',
  'authentik_stages_authenticator_email.authenticatoremailstage',
  'authentik_stages_authenticator_sms.authenticatorsmsstage',
  'authentik_stages_authenticator_static.authenticatorstaticstage',
  'authentik_stages_authenticator_totp.authenticatortotpstage',
  'authentik_stages_authenticator_validate.authenticatorvalidatestage',
  'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage',
  'authentik_stages_captcha.captchastage',
  'authentik_stages_consent.consentstage',
  'authentik_stages_deny.denystage',
  'authentik_stages_dummy.dummystage',
  'authentik_stages_email.emailstage',
  'authentik_stages_identification.identificationstage',
  'authentik_stages_invitation.invitationstage',
  'authentik_stages_password.passwordstage',
  'authentik_stages_prompt.promptstage',
  'authentik_stages_redirect.redirectstage',
  'authentik_stages_user_delete.userdeletestage',
  'authentik_stages_user_login.userloginstage',
  'authentik_stages_user_logout.userlogoutstage',
  'authentik_stages_user_write.userwritestage',
  'authentik_stages_source.sourcestage',
  'authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage',
  'authentik_policies_expression.expressionpolicy',
  'authentik_policies_password.passwordpolicy',
  'authentik_policies_reputation.reputationpolicy',
  'authentik_policies_expiry.passwordexpirypolicy',
  'authentik_policies_event_matcher.eventmatcherpolicy',
  'authentik_policies_dummy.dummypolicy',
  'authentik_policies_geoip.geoippolicy',
];
const KNOWN = new Set([...FIXTURE_MODELS, ...SPEC_MODELS]);

const registries: [string, Record<string, KindDef>][] = [
  ['stage', stageRegistry],
  ['policy', policyRegistry],
];

describe.each(registries)('%s registry', (noun, registry) => {
  const entries = Object.entries(registry);

  it('is keyed by each entry’s own model name', () => {
    for (const [key, def] of entries) expect(key).toBe(def.model);
  });

  it('only holds models authentik has (fixtures or spec §7.6/§6.8)', () => {
    const unknown = entries.map(([, def]) => def.model).filter((model) => !KNOWN.has(model));
    expect(unknown).toEqual([]);
  });

  it(`model names follow authentik_<${noun === 'stage' ? 'stages' : 'policies'}_app>.<model>`, () => {
    const prefix =
      noun === 'stage'
        ? /^authentik_stages_[a-z_]+\.[a-z]+stage$/
        : /^authentik_policies_[a-z_]+\.[a-z]+policy$/;
    for (const [, def] of entries) expect(def.model).toMatch(prefix);
  });

  it('labels are unique', () => {
    const labels = entries.map(([, def]) => def.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('aliases never shadow a current model or another alias', () => {
    const aliases = entries.flatMap(([, def]) => def.aliases ?? []);
    expect(new Set(aliases).size).toBe(aliases.length);
    for (const alias of aliases) {
      expect(registry[alias]).toBeUndefined();
      expect(KNOWN.has(alias)).toBe(true);
    }
  });

  it('every config is a zod object, and every secret is one of its keys', () => {
    for (const [, def] of entries) {
      expect(def.config).toBeInstanceOf(z.ZodObject);
      const keys = Object.keys((def.config as z.ZodObject).shape);
      expect(keys).not.toContain('name');
      for (const secret of def.secrets ?? []) expect(keys).toContain(secret);
    }
  });
});

describe('registry keys', () => {
  it('stageKinds / policyKinds equal the registry keys, in order', () => {
    expect(stageKinds).toEqual(Object.keys(stageRegistry));
    expect(policyKinds).toEqual(Object.keys(policyRegistry));
    expect(stageKinds).toHaveLength(23);
    expect(policyKinds).toHaveLength(7);
  });

  it('are frozen', () => {
    expect(Object.isFrozen(stageKinds)).toBe(true);
    expect(Object.isFrozen(policyKinds)).toBe(true);
  });

  it('cover every stage model of spec §7.6 and every policy model of §6.8', () => {
    const specStages = SPEC_MODELS.filter((m) => m.startsWith('authentik_stages_'));
    const specPolicies = SPEC_MODELS.filter((m) => m.startsWith('authentik_policies_'));
    expect([...stageKinds].sort()).toEqual([...specStages].sort());
    expect([...policyKinds].sort()).toEqual([...specPolicies].sort());
  });

  it('every fixture model resolves (directly or by alias)', () => {
    for (const model of FIXTURE_MODELS) {
      const known = model.startsWith('authentik_stages_')
        ? Object.values(stageRegistry).some(
            (def) => def.model === model || (def as KindDef).aliases?.includes(model),
          )
        : isPolicyKind(model);
      expect(known, model).toBe(true);
    }
  });

  it('type guards', () => {
    expect(isStageKind('authentik_stages_deny.denystage')).toBe(true);
    expect(isStageKind('authentik_stages_authenticator_webauthn.authenticatewebauthnstage')).toBe(
      false,
    );
    expect(isStageKind('toString')).toBe(false);
    expect(isPolicyKind('authentik_policies_geoip.geoippolicy')).toBe(true);
    expect(isPolicyKind('authentik_stages_deny.denystage')).toBe(false);
  });
});
