import { describe, expect, it } from 'vitest';
import {
  policyFields,
  policyRegistry,
  policySchema,
  type KindDef,
} from '../../../src/shared/model';

const cases: Record<
  keyof typeof policyRegistry,
  { input: Record<string, unknown>; expected: Record<string, unknown> }
> = {
  'authentik_policies_expression.expressionpolicy': {
    input: { expression: 'return True' },
    expected: { expression: 'return True' },
  },
  'authentik_policies_password.passwordpolicy': {
    input: {},
    expected: {
      password_field: 'password',
      check_static_rules: true,
      check_have_i_been_pwned: false,
      check_zxcvbn: false,
      amount_digits: 0,
      amount_uppercase: 0,
      amount_lowercase: 0,
      amount_symbols: 0,
      length_min: 0,
      symbol_charset: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ ',
      error_message: '',
      hibp_allowed_count: 0,
      zxcvbn_score_threshold: 2,
    },
  },
  'authentik_policies_reputation.reputationpolicy': {
    input: {},
    expected: { check_ip: true, check_username: true, threshold: -5 },
  },
  'authentik_policies_expiry.passwordexpirypolicy': {
    input: { days: 90 },
    expected: { days: 90, deny_only: false },
  },
  'authentik_policies_event_matcher.eventmatcherpolicy': {
    input: {},
    expected: { action: null, client_ip: null, app: null, model: null },
  },
  'authentik_policies_dummy.dummypolicy': {
    input: {},
    expected: { result: false, wait_min: 5, wait_max: 30 },
  },
  'authentik_policies_geoip.geoippolicy': {
    input: {},
    expected: {
      asns: [],
      countries: [],
      distance_tolerance_km: 50,
      check_history_distance: false,
      history_max_distance_km: 100,
      history_login_count: 5,
      check_impossible_travel: false,
      impossible_tolerance_km: 100,
    },
  },
};

const defs: [string, KindDef][] = Object.entries(policyRegistry);

describe('policy registry: defaults per kind', () => {
  it('has a defaults case for every registered kind and no stale ones', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(policyRegistry).sort());
  });

  it.each(Object.entries(cases))(
    '%s parses its required fields to the documented defaults',
    (model, { input, expected }) => {
      expect(policyRegistry[model as keyof typeof policyRegistry].config.parse(input)).toEqual(
        expected,
      );
    },
  );

  it.each(Object.entries(cases))(
    '%s yields the same through policyFields',
    (model, { input, expected }) => {
      expect(policyFields.parse({ name: 'p', kind: model, config: input })).toEqual({
        name: 'p',
        kind: model,
        execution_logging: false,
        config: expected,
      });
    },
  );

  it('the password symbol charset ends with a space and has 33 characters', () => {
    const charset = policyRegistry['authentik_policies_password.passwordpolicy'].config.parse(
      {},
    ).symbol_charset;
    expect(charset.endsWith(' ')).toBe(true);
    expect(charset).toHaveLength(33);
    expect(charset.startsWith('!"#')).toBe(true);
    expect(charset).toContain('\\');
  });

  it('the default-password-policy blueprint attrs parse', () => {
    const policy = policyFields.parse({
      name: 'default-password-change-password-policy',
      kind: 'authentik_policies_password.passwordpolicy',
      config: {
        check_static_rules: true,
        check_zxcvbn: true,
        length_min: 8,
        password_field: 'password',
        zxcvbn_score_threshold: 2,
      },
    });
    expect(policy.config).toMatchObject({
      check_zxcvbn: true,
      length_min: 8,
      check_have_i_been_pwned: false,
      error_message: '',
    });
  });
});

describe('policy registry: metadata', () => {
  it('labels are authentik verbose names', () => {
    expect(Object.fromEntries(defs.map(([model, def]) => [model, def.label]))).toEqual({
      'authentik_policies_expression.expressionpolicy': 'Expression Policy',
      'authentik_policies_password.passwordpolicy': 'Password Policy',
      'authentik_policies_reputation.reputationpolicy': 'Reputation Policy',
      'authentik_policies_expiry.passwordexpirypolicy': 'Password Expiry Policy',
      'authentik_policies_event_matcher.eventmatcherpolicy': 'Event Matcher Policy',
      'authentik_policies_dummy.dummypolicy': 'Dummy Policy',
      'authentik_policies_geoip.geoippolicy': 'GeoIP Policy',
    });
  });

  it('no policy kind holds secrets', () => {
    expect(defs.filter(([, def]) => def.secrets !== undefined)).toEqual([]);
  });
});

describe('policy validation errors', () => {
  const pathsOf = (input: unknown) => {
    const result = policyFields.safeParse(input);
    expect(result.success).toBe(false);
    return (result.error?.issues ?? []).map((issue) => issue.path);
  };

  it('unknown kind → issue on kind', () => {
    expect(pathsOf({ name: 'p', kind: 'authentik_policies_hibp.haveibeenpwendpolicy' })).toEqual([
      ['kind'],
    ]);
  });

  it('a stage model is not a policy kind', () => {
    expect(pathsOf({ name: 'p', kind: 'authentik_stages_dummy.dummystage' })).toEqual([['kind']]);
  });

  it.each([
    ['authentik_policies_expression.expressionpolicy', {}, ['config', 'expression']],
    [
      'authentik_policies_expression.expressionpolicy',
      { expression: '' },
      ['config', 'expression'],
    ],
    ['authentik_policies_expiry.passwordexpirypolicy', {}, ['config', 'days']],
    ['authentik_policies_expiry.passwordexpirypolicy', { days: 1.5 }, ['config', 'days']],
    ['authentik_policies_password.passwordpolicy', { length_min: -1 }, ['config', 'length_min']],
    [
      'authentik_policies_password.passwordpolicy',
      { amount_symbols: '2' },
      ['config', 'amount_symbols'],
    ],
    [
      'authentik_policies_reputation.reputationpolicy',
      { threshold: 'low' },
      ['config', 'threshold'],
    ],
    [
      'authentik_policies_event_matcher.eventmatcherpolicy',
      { action: 'login_success' },
      ['config', 'action'],
    ],
    [
      'authentik_policies_geoip.geoippolicy',
      { countries: ['DE', 'deu'] },
      ['config', 'countries', '1'],
    ],
    ['authentik_policies_geoip.geoippolicy', { countries: ['de'] }, ['config', 'countries', '0']],
    ['authentik_policies_geoip.geoippolicy', { asns: ['AS3320'] }, ['config', 'asns', '0']],
    [
      'authentik_policies_geoip.geoippolicy',
      { history_login_count: -5 },
      ['config', 'history_login_count'],
    ],
    ['authentik_policies_dummy.dummypolicy', { result: 'yes' }, ['config', 'result']],
  ])('%s rejects %j at %j', (kind, config, path) => {
    expect(pathsOf({ name: 'p', kind, config })[0]).toEqual(path);
  });

  it('event matcher criteria are all optional and keep blank / explicit values', () => {
    const policy = policyFields.parse({
      name: 'm',
      kind: 'authentik_policies_event_matcher.eventmatcherpolicy',
      config: { action: 'login_failed', client_ip: '192.0.2.1', app: 'authentik.core', model: '' },
    });
    expect(policy.config).toEqual({
      action: 'login_failed',
      client_ip: '192.0.2.1',
      app: 'authentik.core',
      model: '',
    });
  });

  it('geoip keeps ASN numbers and country codes', () => {
    const config = policyRegistry['authentik_policies_geoip.geoippolicy'].config.parse({
      asns: [3320, 13335],
      countries: ['DE', 'FR'],
    });
    expect(config.asns).toEqual([3320, 13335]);
    expect(config.countries).toEqual(['DE', 'FR']);
  });

  it('execution_logging lives on the policy, not in config', () => {
    const policy = policySchema.parse({
      pk: '00000000-0000-0000-0000-0000000000b1',
      name: 'p',
      kind: 'authentik_policies_dummy.dummypolicy',
      execution_logging: true,
      config: { execution_logging: false, result: true },
    });
    expect(policy.execution_logging).toBe(true);
    expect(policy.config).toEqual({ result: true, wait_min: 5, wait_max: 30 });
  });
});
