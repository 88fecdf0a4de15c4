import { describe, expect, it } from 'vitest';
import {
  findKind,
  stageFields,
  stageRegistry,
  stageSchema,
  type StageKindDef,
} from '../../../src/shared/model';

const P1 = '00000000-0000-0000-0000-000000000001';
const P2 = '00000000-0000-0000-0000-000000000002';
const FLOW = '00000000-0000-0000-0000-0000000000f1';

/**
 * For every stage kind: the smallest valid config (required fields only) and the full config
 * it must parse to — authentik's 2025.2 defaults, written out so a changed default fails here.
 */
const cases: Record<
  keyof typeof stageRegistry,
  { input: Record<string, unknown>; expected: Record<string, unknown> }
> = {
  'authentik_stages_identification.identificationstage': {
    input: {},
    expected: {
      user_fields: [],
      password_stage: null,
      captcha_stage: null,
      case_insensitive_matching: true,
      show_matched_user: true,
      pretend_user_exists: true,
      enrollment_flow: null,
      recovery_flow: null,
      passwordless_flow: null,
      sources: [],
      show_source_labels: false,
      enable_remember_me: false,
      webauthn_stage: null,
    },
  },
  'authentik_stages_password.passwordstage': {
    input: { backends: ['authentik.core.auth.InbuiltBackend'] },
    expected: {
      backends: ['authentik.core.auth.InbuiltBackend'],
      configure_flow: null,
      failed_attempts_before_cancel: 5,
      allow_show_password: false,
    },
  },
  'authentik_stages_user_login.userloginstage': {
    input: {},
    expected: {
      session_duration: 'seconds=0',
      remember_me_offset: 'seconds=0',
      terminate_other_sessions: false,
      network_binding: 'no_binding',
      geoip_binding: 'no_binding',
    },
  },
  'authentik_stages_user_logout.userlogoutstage': { input: {}, expected: {} },
  'authentik_stages_user_write.userwritestage': {
    input: {},
    expected: {
      user_creation_mode: 'create_when_required',
      create_users_as_inactive: false,
      create_users_group: null,
      user_type: 'external',
      user_path_template: '',
    },
  },
  'authentik_stages_user_delete.userdeletestage': { input: {}, expected: {} },
  'authentik_stages_prompt.promptstage': {
    input: { fields: [P1, P2] },
    expected: { fields: [P1, P2], validation_policies: [] },
  },
  'authentik_stages_deny.denystage': { input: {}, expected: { deny_message: '' } },
  'authentik_stages_dummy.dummystage': { input: {}, expected: { throw_error: false } },
  'authentik_stages_consent.consentstage': {
    input: {},
    expected: { mode: 'always_require', consent_expire_in: 'weeks=4' },
  },
  'authentik_stages_email.emailstage': {
    input: {},
    expected: {
      use_global_settings: false,
      host: 'localhost',
      port: 25,
      username: '',
      password: '',
      use_tls: false,
      use_ssl: false,
      timeout: 10,
      from_address: 'system@authentik.local',
      token_expiry: 'minutes=30',
      subject: 'authentik',
      template: 'email/password_reset.html',
      activate_user_on_success: false,
      recovery_max_attempts: 5,
      recovery_cache_timeout: 'minutes=5',
    },
  },
  'authentik_stages_captcha.captchastage': {
    input: { public_key: 'site-key', private_key: 'secret-key' },
    expected: {
      public_key: 'site-key',
      private_key: 'secret-key',
      js_url: 'https://www.recaptcha.net/recaptcha/api.js',
      api_url: 'https://www.recaptcha.net/recaptcha/api/siteverify',
      interactive: false,
      score_min_threshold: 0.5,
      score_max_threshold: 1,
      error_on_invalid_score: true,
    },
  },
  'authentik_stages_invitation.invitationstage': {
    input: {},
    expected: { continue_flow_without_invitation: false },
  },
  'authentik_stages_redirect.redirectstage': {
    input: { mode: 'static', target_static: 'https://example.com/' },
    expected: {
      mode: 'static',
      target_static: 'https://example.com/',
      target_flow: null,
      keep_context: true,
    },
  },
  'authentik_stages_authenticator_validate.authenticatorvalidatestage': {
    input: {},
    expected: {
      not_configured_action: 'skip',
      device_classes: ['static', 'totp', 'webauthn', 'duo', 'sms', 'email'],
      configuration_stages: [],
      last_auth_threshold: 'seconds=0',
      webauthn_user_verification: 'preferred',
      webauthn_allowed_device_types: [],
    },
  },
  'authentik_stages_authenticator_totp.authenticatortotpstage': {
    input: { digits: 6 },
    expected: { digits: 6, configure_flow: null, friendly_name: null },
  },
  'authentik_stages_authenticator_static.authenticatorstaticstage': {
    input: {},
    expected: { token_count: 6, token_length: 12, configure_flow: null, friendly_name: null },
  },
  'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage': {
    input: {},
    expected: {
      user_verification: 'preferred',
      resident_key_requirement: 'preferred',
      authenticator_attachment: null,
      device_type_restrictions: [],
      max_attempts: 0,
      configure_flow: null,
      friendly_name: null,
    },
  },
  'authentik_stages_authenticator_duo.authenticatorduostage': {
    input: {
      api_hostname: 'api-1234.duosecurity.com',
      client_id: 'DIXXX',
      client_secret: 'duo-secret',
    },
    expected: {
      api_hostname: 'api-1234.duosecurity.com',
      client_id: 'DIXXX',
      client_secret: 'duo-secret',
      admin_integration_key: '',
      admin_secret_key: '',
      configure_flow: null,
      friendly_name: null,
    },
  },
  'authentik_stages_authenticator_sms.authenticatorsmsstage': {
    input: {
      provider: 'twilio',
      from_number: '+15550100',
      account_sid: 'AC123',
      auth: 'twilio-token',
    },
    expected: {
      provider: 'twilio',
      from_number: '+15550100',
      account_sid: 'AC123',
      auth: 'twilio-token',
      auth_password: '',
      auth_type: 'basic',
      verify_only: false,
      mapping: null,
      configure_flow: null,
      friendly_name: null,
    },
  },
  'authentik_stages_authenticator_email.authenticatoremailstage': {
    input: {},
    expected: {
      use_global_settings: false,
      host: 'localhost',
      port: 25,
      username: '',
      password: '',
      use_tls: false,
      use_ssl: false,
      timeout: 10,
      from_address: 'system@authentik.local',
      token_expiry: 'minutes=30',
      subject: 'authentik Sign-in code',
      template: 'email/email_otp.html',
      configure_flow: null,
      friendly_name: null,
    },
  },
  'authentik_stages_source.sourcestage': {
    input: { source: P1 },
    expected: { source: P1, resume_timeout: 'minutes=10' },
  },
  'authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage': {
    input: { credentials: { type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----' } },
    expected: {
      credentials: { type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----' },
      configure_flow: null,
      friendly_name: null,
    },
  },
};

const defs: [string, StageKindDef][] = Object.entries(stageRegistry);

describe('stage registry: defaults per kind', () => {
  it('has a defaults case for every registered kind and no stale ones', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(stageRegistry).sort());
  });

  it.each(Object.entries(cases))(
    '%s parses its required fields to the documented defaults',
    (model, { input, expected }) => {
      const def = stageRegistry[model as keyof typeof stageRegistry];
      expect(def.config.parse(input)).toEqual(expected);
    },
  );

  it.each(Object.entries(cases))(
    '%s yields the same through stageFields',
    (model, { input, expected }) => {
      expect(stageFields.parse({ name: 'x', kind: model, config: input })).toEqual({
        name: 'x',
        kind: model,
        config: expected,
      });
    },
  );

  it.each(Object.entries(cases).filter(([, { input }]) => Object.keys(input).length > 0))(
    '%s rejects an empty config',
    (model) => {
      const result = stageFields.safeParse({ name: 'x', kind: model, config: {} });
      expect(result.success).toBe(false);
      for (const issue of result.error?.issues ?? []) expect(issue.path[0]).toBe('config');
    },
  );

  it('stageFields defaults a missing config to {}', () => {
    expect(
      stageFields.parse({ name: 'deny', kind: 'authentik_stages_deny.denystage' }).config,
    ).toEqual({ deny_message: '' });
  });

  it('default arrays are fresh per parse (no shared mutable default)', () => {
    const config =
      stageRegistry['authentik_stages_authenticator_validate.authenticatorvalidatestage'].config;
    const a = config.parse({});
    a.device_classes.pop();
    expect(config.parse({}).device_classes).toHaveLength(6);
  });
});

describe('stage registry: metadata', () => {
  it('labels are authentik verbose names (used by the flow diagram)', () => {
    expect(Object.fromEntries(defs.map(([model, def]) => [model, def.label]))).toEqual({
      'authentik_stages_identification.identificationstage': 'Identification Stage',
      'authentik_stages_password.passwordstage': 'Password Stage',
      'authentik_stages_user_login.userloginstage': 'User Login Stage',
      'authentik_stages_user_logout.userlogoutstage': 'User Logout Stage',
      'authentik_stages_user_write.userwritestage': 'User Write Stage',
      'authentik_stages_user_delete.userdeletestage': 'User Delete Stage',
      'authentik_stages_prompt.promptstage': 'Prompt Stage',
      'authentik_stages_deny.denystage': 'Deny Stage',
      'authentik_stages_dummy.dummystage': 'Dummy Stage',
      'authentik_stages_consent.consentstage': 'Consent Stage',
      'authentik_stages_email.emailstage': 'Email Stage',
      'authentik_stages_captcha.captchastage': 'Captcha Stage',
      'authentik_stages_invitation.invitationstage': 'Invitation Stage',
      'authentik_stages_redirect.redirectstage': 'Redirect Stage',
      'authentik_stages_authenticator_validate.authenticatorvalidatestage':
        'Authenticator Validation Stage',
      'authentik_stages_authenticator_totp.authenticatortotpstage':
        'TOTP Authenticator Setup Stage',
      'authentik_stages_authenticator_static.authenticatorstaticstage':
        'Static Authenticator Setup Stage',
      'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage':
        'WebAuthn Authenticator Setup Stage',
      'authentik_stages_authenticator_duo.authenticatorduostage': 'Duo Authenticator Setup Stage',
      'authentik_stages_authenticator_sms.authenticatorsmsstage': 'SMS Authenticator Setup Stage',
      'authentik_stages_authenticator_email.authenticatoremailstage':
        'Email Authenticator Setup Stage',
      'authentik_stages_source.sourcestage': 'Source Stage',
      'authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage':
        'Endpoint Authenticator Google Device Trust Connector Stage',
    });
  });

  it('non-interactive stages have no component; user_login has one', () => {
    const withoutComponent = defs
      .filter(([, def]) => def.component === null)
      .map(([model]) => model)
      .sort();
    expect(withoutComponent).toEqual([
      'authentik_stages_deny.denystage',
      'authentik_stages_invitation.invitationstage',
      'authentik_stages_user_delete.userdeletestage',
      'authentik_stages_user_logout.userlogoutstage',
      'authentik_stages_user_write.userwritestage',
    ]);
    expect(stageRegistry['authentik_stages_user_login.userloginstage'].component).toBe(
      'ak-stage-user-login',
    );
    expect(stageRegistry['authentik_stages_identification.identificationstage'].component).toBe(
      'ak-stage-identification',
    );
    expect(stageRegistry['authentik_stages_redirect.redirectstage'].component).toBe(
      'xak-flow-redirect',
    );
  });

  it('every description is one non-empty line', () => {
    for (const [, def] of defs) {
      expect(def.description.trim().length).toBeGreaterThan(10);
      expect(def.description).not.toContain('\n');
    }
  });

  it('marks exactly the credential fields as secrets', () => {
    const secrets = Object.fromEntries(
      defs.filter(([, def]) => def.secrets).map(([model, def]) => [model, def.secrets]),
    );
    expect(secrets).toEqual({
      'authentik_stages_email.emailstage': ['password'],
      'authentik_stages_captcha.captchastage': ['private_key'],
      'authentik_stages_authenticator_duo.authenticatorduostage': [
        'client_secret',
        'admin_secret_key',
      ],
      'authentik_stages_authenticator_sms.authenticatorsmsstage': ['auth', 'auth_password'],
      'authentik_stages_authenticator_email.authenticatoremailstage': ['password'],
      'authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage': [
        'credentials',
      ],
    });
  });

  it('configurable and friendly-named stages carry configure_flow / friendly_name', () => {
    const shapeKeys = (model: keyof typeof stageRegistry) =>
      Object.keys(stageRegistry[model].config.shape);
    const configurable = defs.filter(([model]) =>
      shapeKeys(model as keyof typeof stageRegistry).includes('configure_flow'),
    );
    expect(configurable.map(([model]) => model.split('.')[1]).sort()).toEqual([
      'authenticatorduostage',
      'authenticatoremailstage',
      'authenticatorendpointgdtcstage',
      'authenticatorsmsstage',
      'authenticatorstaticstage',
      'authenticatortotpstage',
      'authenticatorwebauthnstage',
      'passwordstage',
    ]);
    for (const [model] of configurable) {
      if (model === 'authentik_stages_password.passwordstage') continue;
      expect(shapeKeys(model as keyof typeof stageRegistry)).toContain('friendly_name');
    }
  });
});

describe('stage validation errors', () => {
  const issuesOf = (input: unknown) => {
    const result = stageFields.safeParse(input);
    expect(result.success).toBe(false);
    return (result.error?.issues ?? []).map((issue) => ({
      path: issue.path,
      message: issue.message,
    }));
  };

  it('unknown kind → one issue on kind', () => {
    expect(issuesOf({ name: 'x', kind: 'authentik_stages_nope.nopestage', config: {} })).toEqual([
      { path: ['kind'], message: 'Unknown stage kind "authentik_stages_nope.nopestage"' },
    ]);
  });

  it('a policy model is not a stage kind', () => {
    expect(issuesOf({ name: 'x', kind: 'authentik_policies_dummy.dummypolicy' })[0]?.path).toEqual([
      'kind',
    ]);
  });

  it('bad backend → issue under config.backends', () => {
    const issues = issuesOf({
      name: 'pw',
      kind: 'authentik_stages_password.passwordstage',
      config: {
        backends: [
          'authentik.core.auth.InbuiltBackend',
          'django.contrib.auth.backends.ModelBackend',
        ],
      },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(['config', 'backends', '1']);
  });

  it('empty backends list is rejected', () => {
    expect(
      issuesOf({
        name: 'pw',
        kind: 'authentik_stages_password.passwordstage',
        config: { backends: [] },
      })[0]?.path,
    ).toEqual(['config', 'backends']);
  });

  it('bad duration → issue under config.<field>', () => {
    expect(
      issuesOf({
        name: 'login',
        kind: 'authentik_stages_user_login.userloginstage',
        config: { session_duration: '1 day' },
      }),
    ).toEqual([
      {
        path: ['config', 'session_duration'],
        message: 'Expected a duration like "hours=1;minutes=2"',
      },
    ]);
  });

  it.each([
    [
      'authentik_stages_identification.identificationstage',
      { user_fields: ['phone'] },
      ['config', 'user_fields', '0'],
    ],
    [
      'authentik_stages_user_write.userwritestage',
      { user_creation_mode: 'sometimes' },
      ['config', 'user_creation_mode'],
    ],
    ['authentik_stages_user_write.userwritestage', { user_type: 'agent' }, ['config', 'user_type']],
    [
      'authentik_stages_user_login.userloginstage',
      { network_binding: 'bind_ip' },
      ['config', 'network_binding'],
    ],
    ['authentik_stages_consent.consentstage', { mode: 'never' }, ['config', 'mode']],
    [
      'authentik_stages_authenticator_validate.authenticatorvalidatestage',
      { device_classes: ['hotp'] },
      ['config', 'device_classes', '0'],
    ],
    [
      'authentik_stages_authenticator_validate.authenticatorvalidatestage',
      { not_configured_action: 'allow' },
      ['config', 'not_configured_action'],
    ],
    [
      'authentik_stages_authenticator_totp.authenticatortotpstage',
      { digits: 7 },
      ['config', 'digits'],
    ],
    [
      'authentik_stages_authenticator_totp.authenticatortotpstage',
      { digits: '6' },
      ['config', 'digits'],
    ],
    [
      'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage',
      { authenticator_attachment: 'usb' },
      ['config', 'authenticator_attachment'],
    ],
    ['authentik_stages_prompt.promptstage', { fields: [] }, ['config', 'fields']],
    ['authentik_stages_prompt.promptstage', { fields: ['not-a-pk'] }, ['config', 'fields', '0']],
    ['authentik_stages_redirect.redirectstage', { mode: 'both' }, ['config', 'mode']],
    ['authentik_stages_deny.denystage', { deny_message: 42 }, ['config', 'deny_message']],
  ])('%s rejects %j at %j', (kind, config, path) => {
    expect(issuesOf({ name: 'x', kind, config })[0]?.path).toEqual(path);
  });

  it('redirect requires the target of its mode', () => {
    expect(
      issuesOf({
        name: 'r',
        kind: 'authentik_stages_redirect.redirectstage',
        config: { mode: 'static' },
      }),
    ).toEqual([
      {
        path: ['config', 'target_static'],
        message: 'Target URL should be present when mode is Static.',
      },
    ]);
    expect(
      issuesOf({
        name: 'r',
        kind: 'authentik_stages_redirect.redirectstage',
        config: { mode: 'flow' },
      }),
    ).toEqual([
      {
        path: ['config', 'target_flow'],
        message: 'Target Flow should be present when mode is Flow.',
      },
    ]);
    expect(
      stageFields.parse({
        name: 'r',
        kind: 'authentik_stages_redirect.redirectstage',
        config: { mode: 'flow', target_flow: FLOW },
      }).config,
    ).toEqual({ mode: 'flow', target_static: '', target_flow: FLOW, keep_context: true });
  });

  it('an empty stage name is rejected on name', () => {
    expect(issuesOf({ name: '', kind: 'authentik_stages_deny.denystage' })[0]?.path).toEqual([
      'name',
    ]);
  });
});

describe('aliases and blueprint leftovers', () => {
  const OLD = 'authentik_stages_authenticator_webauthn.authenticatewebauthnstage';
  const CURRENT = 'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage';

  it('canonicalises the old WebAuthn model name to the current one', () => {
    const stage = stageSchema.parse({
      pk: P1,
      name: 'default-authenticator-webauthn-setup',
      kind: OLD,
      config: { configure_flow: FLOW },
    });
    expect(stage.kind).toBe(CURRENT);
    expect(stage.config).toMatchObject({ configure_flow: FLOW, user_verification: 'preferred' });
  });

  it('findKind resolves both names to the same entry, and nothing else', () => {
    expect(findKind(stageRegistry, OLD)).toBe(stageRegistry[CURRENT]);
    expect(findKind(stageRegistry, CURRENT)).toBe(stageRegistry[CURRENT]);
    expect(findKind(stageRegistry, 'authentik_stages_authenticator_webauthn')).toBeUndefined();
  });

  it('drops attrs authentik no longer has (obsolete identification `template`)', () => {
    const stage = stageFields.parse({
      name: 'default-authentication-identification',
      kind: 'authentik_stages_identification.identificationstage',
      config: { user_fields: ['email', 'username'], template: 'stages/identification/login.html' },
    });
    expect(stage.config).not.toHaveProperty('template');
    expect(stage.config).toMatchObject({ user_fields: ['email', 'username'] });
  });

  it('reads the legacy integer email token_expiry as minutes', () => {
    const stage = stageFields.parse({
      name: 'default-recovery-email',
      kind: 'authentik_stages_email.emailstage',
      config: {
        use_global_settings: true,
        token_expiry: 30,
        template: 'email/password_reset.html',
        activate_user_on_success: true,
      },
    });
    expect(stage.config).toMatchObject({
      token_expiry: 'minutes=30',
      activate_user_on_success: true,
    });
  });

  it('the email authenticator takes only duration strings', () => {
    const result = stageFields.safeParse({
      name: 'x',
      kind: 'authentik_stages_authenticator_email.authenticatoremailstage',
      config: { token_expiry: 30 },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['config', 'token_expiry']);
  });
});
