import { describe, expect, it } from 'vitest';
import { policyRegistry, type Policy } from '../../../src/shared/model';
import { ScriptedExpressionRuntime } from '../../../src/main/engine/memory';
import {
  evaluatePolicies,
  EXPRESSIONS_UNAVAILABLE,
  geodesicKm,
  NOT_AVAILABLE_ZXCVBN,
  policyKindImpls,
  type EngineUser,
  type PasswordStrengthEstimator,
  type SimRequest,
  type TraceResult,
} from '../../../src/main/engine';
import { anonymousUser, placeholderUser } from '../../../src/main/engine/users';
import {
  EVENT_MATCHER,
  EXPIRY,
  GEOIP,
  PASSWORD,
  REPUTATION,
  request,
  World,
} from './fixtures';

/** Run one policy bound to a fresh flow; returns the binding's trace result. */
async function runPolicy(
  world: World,
  policy: Policy,
  options: { user?: EngineUser; request?: SimRequest | null; context?: Record<string, unknown>; failure_result?: boolean } = {},
): Promise<TraceResult> {
  const flow = world.flow();
  world.pb(flow, { order: 0, policy: policy.pk, failure_result: options.failure_result ?? false });
  const user = options.user ?? world.user();
  const result = await evaluatePolicies(world.engine, {
    target: { kind: 'flow', pk: flow.pk, label: flow.slug },
    mode: 'all',
    user,
    request: options.request === undefined ? request({ session_user: user }) : options.request,
    context: options.context,
    useCache: false,
    debug: true,
  });
  const entry = result.trace.results[0];
  if (!entry) throw new Error('no result');
  return entry;
}

describe('policy kinds registry', () => {
  it('has an implementation for exactly the shared model’s policy kinds', () => {
    expect(Object.keys(policyKindImpls).sort()).toEqual(Object.keys(policyRegistry).sort());
    for (const [model, impl] of Object.entries(policyKindImpls)) expect(impl.model).toBe(model);
  });
});

describe('password policy', () => {
  const strict = {
    amount_digits: 1,
    amount_uppercase: 1,
    amount_lowercase: 2,
    amount_symbols: 3,
    length_min: 24,
    error_message: 'test message',
  };

  it('fails with "Password not set in context" without a password', async () => {
    const world = new World();
    const r = await runPolicy(world, world.policy(PASSWORD, strict));
    expect(r).toMatchObject({ passing: false, messages: ['Password not set in context'] });
    expect(r.logs.some((l) => l.level === 'warning')).toBe(true);
  });

  it('reads prompt_data first, then the context; an empty value counts as unset', async () => {
    const world = new World();
    const policy = world.policy(PASSWORD, { length_min: 3, error_message: 'short' });
    expect(await runPolicy(world, policy, { context: { prompt_data: { password: 'abcd' }, password: 'x' } })).toMatchObject({ passing: true });
    expect(await runPolicy(world, policy, { context: { prompt_data: { other: 1 }, password: 'abcd' } })).toMatchObject({ passing: true });
    expect(await runPolicy(world, policy, { context: { prompt_data: { password: '' }, password: 'abcd' } })).toMatchObject({
      passing: false,
      messages: ['Password not set in context'],
    });
    const custom = world.policy(PASSWORD, { password_field: 'new_pw', length_min: 3 });
    expect(await runPolicy(world, custom, { context: { prompt_data: { new_pw: 'abcd' } } })).toMatchObject({ passing: true });
  });

  it.each([
    ['length', 'test'],
    ['lowercase', '1TTTTTTTTTTTTTTTTTTTTTTe'],
    ['uppercase (also too short)', '1tttttttttttttttttttttE'],
    ['symbols', '1ETETETETETETETETETETETETe!!'],
    ['digits', 'TETETETETETETETETETETETEe!!!'],
  ])('static rule %s fails with error_message', async (_name, password) => {
    const world = new World();
    const r = await runPolicy(world, world.policy(PASSWORD, strict), { context: { password } });
    expect(r).toMatchObject({ passing: false, messages: ['test message'] });
  });

  it('passes a password meeting every rule, without messages', async () => {
    const world = new World();
    const r = await runPolicy(world, world.policy(PASSWORD, strict), { context: { password: 'aaaaaaaaaaaaaaaaaaaaBB1ee!!!' } });
    expect(r).toMatchObject({ passing: true, messages: [] });
  });

  it('counts the trailing space of the default symbol charset as a symbol', async () => {
    const world = new World();
    const policy = world.policy(PASSWORD, { amount_symbols: 2, error_message: 'symbols' });
    expect(await runPolicy(world, policy, { context: { password: 'two spaces here' } })).toMatchObject({ passing: true });
    expect(await runPolicy(world, policy, { context: { password: 'one space' } })).toMatchObject({ passing: false, messages: ['symbols'] });
  });

  it('a blank error_message fails with an empty message (upstream returns the raw field)', async () => {
    const world = new World();
    const r = await runPolicy(world, world.policy(PASSWORD, { length_min: 10 }), { context: { password: 'short' } });
    expect(r).toMatchObject({ passing: false, messages: [''] });
  });

  it('the uppercase rule compares with amount_lowercase, as authentik does', async () => {
    const world = new World();
    // One uppercase letter required, but amount_lowercase=2 is what upstream compares with.
    const policy = world.policy(PASSWORD, { amount_uppercase: 1, amount_lowercase: 2, error_message: 'nope' });
    expect(await runPolicy(world, policy, { context: { password: 'abA' } })).toMatchObject({ passing: false, messages: ['nope'] });
    expect(await runPolicy(world, policy, { context: { password: 'abAB' } })).toMatchObject({ passing: true });
  });

  it('HIBP is not checked offline: a log line and a note, no message, no pretending', async () => {
    const world = new World();
    const r = await runPolicy(world, world.policy(PASSWORD, { check_have_i_been_pwned: true, check_static_rules: false }), {
      context: { password: 'password' },
    });
    expect(r).toMatchObject({ passing: true, messages: [], notes: ['HIBP not checked (offline)'] });
    expect(r.logs.map((l) => l.message).join('\n')).toMatch(/HIBP not checked/);
  });

  it('zxcvbn without an estimator fails loudly through the failure path', async () => {
    const world = new World({ passwordStrength: null });
    const policy = world.policy(PASSWORD, { check_zxcvbn: true, check_static_rules: false });
    const r = await runPolicy(world, policy, { context: { password: 'Tr0ub4dour&3' } });
    expect(r).toMatchObject({ passing: false, outcome: 'policy_exception', messages: [NOT_AVAILABLE_ZXCVBN] });
  });

  it('zxcvbn through the port: score > threshold passes; otherwise "Password is too weak." + suggestions', async () => {
    const seen: { password: string; inputs: string[] }[] = [];
    const estimator: PasswordStrengthEstimator = {
      estimate(password, inputs) {
        seen.push({ password, inputs });
        return password.length > 12
          ? { score: 4, feedback: { warning: null, suggestions: [] } }
          : { score: 1, feedback: { warning: 'This is a top-10 common password.', suggestions: ['Add another word or two.'] } };
      },
    };
    const world = new World({ passwordStrength: estimator });
    const user = world.user({ username: 'alice', name: 'Alice', email: 'alice@example.com' });
    const policy = world.policy(PASSWORD, { check_zxcvbn: true, check_static_rules: false, zxcvbn_score_threshold: 2 });
    expect(await runPolicy(world, policy, { user, context: { password: 'correct horse battery staple' } })).toMatchObject({ passing: true, messages: [] });
    const weak = await runPolicy(world, policy, { user, context: { password: 'password1' } });
    expect(weak).toMatchObject({ passing: false, messages: ['Password is too weak.', 'Add another word or two.'] });
    expect(seen[0]?.inputs).toEqual(['alice', 'Alice', 'alice@example.com', 'authentik']);
    // Only the first 72 characters are scored.
    await runPolicy(world, policy, { user, context: { password: 'x'.repeat(100) } });
    expect(seen.at(-1)?.password).toHaveLength(72);
  });
});

describe('reputation policy', () => {
  it('passes when the summed score of IP or username is ≤ threshold (bad reputation)', async () => {
    const world = new World();
    const user = world.user({ username: 'mallory' });
    const policy = world.policy(REPUTATION, { threshold: -2 });
    expect(await runPolicy(world, policy, { user })).toMatchObject({ passing: false, raw_result: { score: 0 } });
    world.engine.reputation.update('mallory', '198.51.100.1', -1);
    world.engine.reputation.update('someone', '192.0.2.10', -1);
    world.engine.reputation.update('unrelated', '203.0.113.9', -5);
    expect(await runPolicy(world, policy, { user })).toMatchObject({ passing: true, messages: [], raw_result: { score: -2 } });
  });

  it('honours check_ip / check_username; with both off every record counts (upstream empty Q())', async () => {
    const world = new World();
    const user = world.user({ username: 'mallory' });
    world.engine.reputation.update('mallory', '198.51.100.1', -3);
    world.engine.reputation.update('other', '192.0.2.10', -3);
    world.engine.reputation.update('x', '203.0.113.9', -3);
    const ipOnly = world.policy(REPUTATION, { check_username: false, threshold: -3 });
    const nameOnly = world.policy(REPUTATION, { check_ip: false, threshold: -3 });
    const neither = world.policy(REPUTATION, { check_ip: false, check_username: false, threshold: -9 });
    expect(await runPolicy(world, ipOnly, { user })).toMatchObject({ passing: true, raw_result: { score: -3 } });
    expect(await runPolicy(world, nameOnly, { user })).toMatchObject({ passing: true, raw_result: { score: -3 } });
    expect(await runPolicy(world, neither, { user })).toMatchObject({ passing: true, raw_result: { score: -9 } });
  });

  it('expired records no longer count', async () => {
    const world = new World();
    const user = world.user({ username: 'mallory' });
    world.engine.reputation.update('mallory', '198.51.100.1', -5);
    const policy = world.policy(REPUTATION, {});
    expect(await runPolicy(world, policy, { user })).toMatchObject({ passing: true });
    world.engine.clock.set(world.engine.clock.now() + 86_400_001);
    expect(await runPolicy(world, policy, { user })).toMatchObject({ passing: false });
  });
});

describe('password expiry policy', () => {
  it('passes within the period', async () => {
    const world = new World({ start: '2025-01-01T00:00:00Z' });
    const user = world.user({ password_change_date: '2024-12-20T00:00:00Z' });
    expect(await runPolicy(world, world.policy(EXPIRY, { days: 30 }), { user })).toMatchObject({ passing: true, messages: [] });
  });

  it('deny_only: fails with "Password has expired." and changes nothing', async () => {
    const world = new World({ start: '2025-01-01T00:00:00Z' });
    const user = world.user({ password_change_date: '2024-11-01T00:00:00Z' });
    const r = await runPolicy(world, world.policy(EXPIRY, { days: 30, deny_only: true }), { user });
    expect(r).toMatchObject({ passing: false, messages: ['Password has expired.'] });
    expect(world.ws.userByPk(user.pk!)?.has_usable_password).toBe(true);
  });

  it('otherwise: fails with the days since expiry and sets an unusable password (logged)', async () => {
    const world = new World({ start: '2025-01-01T00:00:00Z' });
    const user = world.user({ password_change_date: '2024-11-01T00:00:00Z' });
    // 61 days since the change, 31 since expiry after 30 days.
    const r = await runPolicy(world, world.policy(EXPIRY, { days: 30 }), { user });
    expect(r).toMatchObject({ passing: false, messages: ['Password expired 31 days ago. Please update your password.'] });
    expect(world.ws.userByPk(user.pk!)?.has_usable_password).toBe(false);
    expect(r.logs.some((l) => /unusable password/.test(l.message))).toBe(true);
  });

  it('the boundary is whole days: exactly `days` days is expired', async () => {
    const world = new World({ start: '2025-01-31T00:00:00Z' });
    const user = world.user({ password_change_date: '2025-01-01T00:00:00Z' });
    expect(await runPolicy(world, world.policy(EXPIRY, { days: 30, deny_only: true }), { user })).toMatchObject({ passing: false });
    const almost = world.user({ password_change_date: '2025-01-01T00:00:01Z' });
    expect(await runPolicy(world, world.policy(EXPIRY, { days: 30, deny_only: true }), { user: almost })).toMatchObject({ passing: true });
  });

  it('a user without a password change date (placeholder) crashes → failing', async () => {
    const world = new World();
    const r = await runPolicy(world, world.policy(EXPIRY, { days: 1 }), { user: placeholderUser({ username: 'ghost' }) });
    expect(r).toMatchObject({ passing: false, outcome: 'crash' });
  });
});

describe('event matcher policy (authentik 2025.2: ALL configured criteria)', () => {
  const event = {
    pk: 'e1',
    action: 'login_failed',
    user: null,
    client_ip: '192.0.2.1',
    app: 'authentik.stages.password',
    model: null,
    context: { model: { app: 'authentik_core', model_name: 'user', pk: 1 } },
    created: '2025-01-01T00:00:00Z',
  };

  it('no event in the context → failing, no message', async () => {
    const world = new World();
    expect(await runPolicy(world, world.policy(EVENT_MATCHER, { action: 'login_failed' }))).toMatchObject({ passing: false, messages: [] });
  });

  it('every configured criterion must match; each contributes its message', async () => {
    const world = new World();
    const both = world.policy(EVENT_MATCHER, { action: 'login_failed', client_ip: '192.0.2.1' });
    expect(await runPolicy(world, both, { context: { event } })).toMatchObject({
      passing: true,
      messages: ['Action matched.', 'Client IP matched.'],
    });
    const oneWrong = world.policy(EVENT_MATCHER, { action: 'login_failed', client_ip: '203.0.113.1' });
    // Upstream adds the message of a criterion whether it matched or not.
    expect(await runPolicy(world, oneWrong, { context: { event } })).toMatchObject({
      passing: false,
      messages: ['Action matched.', 'Client IP matched.'],
    });
  });

  it('app and model (from event.context.model) criteria', async () => {
    const world = new World();
    const policy = world.policy(EVENT_MATCHER, { app: 'authentik.stages.password', model: 'authentik_core.user' });
    expect(await runPolicy(world, policy, { context: { event } })).toMatchObject({ passing: true, messages: ['App matched.', 'Model matched.'] });
    const wrongModel = world.policy(EVENT_MATCHER, { model: 'authentik_core.group' });
    expect(await runPolicy(world, wrongModel, { context: { event } })).toMatchObject({ passing: false });
  });

  it('no configured criterion (null or blank) → passing with an event (all([]) upstream)', async () => {
    const world = new World();
    const policy = world.policy(EVENT_MATCHER, { client_ip: '' });
    expect(await runPolicy(world, policy, { context: { event } })).toMatchObject({ passing: true, messages: [] });
  });
});

describe('dummy policy', () => {
  it('waits a random whole number of seconds on the Clock port, then returns result + "dummy"', async () => {
    const world = new World();
    const started = world.engine.clock.now();
    const r = await runPolicy(world, world.dummy(true, { wait_min: 5, wait_max: 6 }));
    expect(r).toMatchObject({ passing: true, messages: ['dummy'], duration_ms: 5000 });
    expect(world.engine.clock.now() - started).toBe(5000);
    expect(await runPolicy(world, world.dummy(false))).toMatchObject({ passing: false, messages: ['dummy'] });
  });

  it('wait_min == wait_max → crash → failing', async () => {
    const world = new World();
    expect(await runPolicy(world, world.dummy(true, { wait_min: 3, wait_max: 3 }))).toMatchObject({ passing: false, outcome: 'crash' });
  });
});

describe('geoip policy', () => {
  const us = { continent: 'NA', country: 'US', city: '', lat: 37.751, long: -97.822 };
  const google = { asn: 15169, as_org: 'GOOGLE', network: '8.8.8.0/24' };

  it('nothing configured → passes', async () => {
    const world = new World();
    expect(await runPolicy(world, world.policy(GEOIP, {}), { request: request({ geoip: us, asn: google }) })).toMatchObject({ passing: true });
  });

  it('static checks: any of ASN / country must pass', async () => {
    const world = new World();
    const req = request({ geoip: us, asn: google });
    expect(await runPolicy(world, world.policy(GEOIP, { asns: [13335, 15169] }), { request: req })).toMatchObject({ passing: true });
    expect(await runPolicy(world, world.policy(GEOIP, { asns: [1, 2] }), { request: req })).toMatchObject({
      passing: false,
      messages: ['Client IP is not part of an allowed autonomous system.'],
    });
    expect(await runPolicy(world, world.policy(GEOIP, { countries: ['MX', 'UA'] }), { request: req })).toMatchObject({
      passing: false,
      messages: ['Client IP is not in an allowed country.'],
    });
    expect(await runPolicy(world, world.policy(GEOIP, { asns: [1, 2], countries: ['US', 'CA'] }), { request: req })).toMatchObject({
      passing: true,
      messages: ['Client IP is not part of an allowed autonomous system.'],
    });
  });

  it('missing GeoIP data for a configured static check → PolicyException → failure_result', async () => {
    const world = new World();
    const policy = world.policy(GEOIP, { asns: [15169], countries: ['US'] });
    const unknown = request({ geoip: null, asn: null });
    expect(await runPolicy(world, policy, { request: unknown })).toMatchObject({
      passing: false,
      outcome: 'policy_exception',
      messages: ['GeoIP: client IP not found in ASN database.'],
    });
    expect(await runPolicy(world, policy, { request: unknown, failure_result: true })).toMatchObject({ passing: true });
  });

  it('history distance and impossible travel against past login events', async () => {
    const world = new World({ start: '2025-01-10T12:00:00Z' });
    const user = world.user();
    world.engine.events.append({
      action: 'login',
      user: { pk: user.pk, username: user.username, email: '' },
      client_ip: '203.0.113.5',
      app: 'authentik.stages.user_login',
      model: null,
      // A location in Canada.
      context: { geo: { lat: 55.868351, long: -104.441011 } },
      created: '2025-01-10T11:00:00Z',
    });
    const poland = request({ geoip: { continent: 'EU', country: 'PL', city: '', lat: 50.950613, long: 20.363679 } });
    expect(await runPolicy(world, world.policy(GEOIP, { check_history_distance: true }), { user, request: poland })).toMatchObject({
      passing: false,
      messages: ['Distance from previous authentication is larger than threshold.'],
    });
    expect(await runPolicy(world, world.policy(GEOIP, { check_impossible_travel: true }), { user, request: poland })).toMatchObject({
      passing: false,
      messages: ['Distance is further than possible.'],
    });
    // No GeoIP data for the current request → failing, no message.
    expect(await runPolicy(world, world.policy(GEOIP, { check_history_distance: true }), { user, request: request() })).toMatchObject({
      passing: false,
      messages: [],
    });
    // Close to the previous login → passes.
    const nearby = request({ geoip: { continent: 'NA', country: 'CA', city: '', lat: 55.9, long: -104.4 } });
    expect(await runPolicy(world, world.policy(GEOIP, { check_history_distance: true, check_impossible_travel: true }), { user, request: nearby })).toMatchObject({ passing: true });
  });

  it('logins of other users and without geo data are not compared', async () => {
    const world = new World();
    const user = world.user();
    world.engine.events.append({ action: 'login', user: { pk: 99_999, username: 'other', email: '' }, client_ip: null, app: 'x', model: null, context: { geo: { lat: 0, long: 0 } } });
    world.engine.events.append({ action: 'login', user: { pk: user.pk, username: user.username, email: '' }, client_ip: null, app: 'x', model: null, context: {} });
    const poland = request({ geoip: { continent: 'EU', country: 'PL', city: '', lat: 50.95, long: 20.36 } });
    expect(await runPolicy(world, world.policy(GEOIP, { check_history_distance: true }), { user, request: poland })).toMatchObject({ passing: true });
  });

  it('geodesic distances match the WGS-84 ellipsoid', () => {
    // GeographicLib's documented example (geopy uses GeographicLib): JFK → LHR 5551.759400 km.
    expect(geodesicKm(40.6, -73.8, 51.6, -0.5)).toBeCloseTo(5551.7594, 3);
    // Vincenty's own test line, Flinders Peak → Buninyong: 54 972.271 m.
    const dms = (d: number, m: number, s: number) => Math.sign(d) * (Math.abs(d) + m / 60 + s / 3600);
    expect(geodesicKm(dms(-37, 57, 3.7203), dms(144, 25, 29.5244), dms(-37, 39, 10.1561), dms(143, 55, 35.3839))).toBeCloseTo(54.972271, 5);
    expect(geodesicKm(0, 0, 0, 1)).toBeCloseTo(111.319, 2);
    expect(geodesicKm(10, 10, 10, 10)).toBe(0);
    // Nearly antipodal points still give a finite, sensible answer.
    expect(geodesicKm(0, 0, 0.5, 179.7)).toBeGreaterThan(19_900);
  });
});

describe('expression policy', () => {
  it('the default runtime fails loudly with a clear message and never passes, even with failure_result', async () => {
    for (const failure_result of [false, true]) {
      const world = new World();
      const r = await runPolicy(world, world.expression('return True'), { failure_result });
      expect(r).toMatchObject({
        passing: false,
        outcome: 'crash',
        messages: [EXPRESSIONS_UNAVAILABLE],
        error: EXPRESSIONS_UNAVAILABLE,
      });
      expect(r.notes).toEqual(['Expression runtime not available: the policy fails whatever its failure_result']);
    }
  });

  it('truthiness, None and messages through the runtime port', async () => {
    const runtime = new ScriptedExpressionRuntime({
      'return []': () => ({ result: [] }),
      'return [1]': () => ({ result: [1], messages: ['one'] }),
      pass: () => ({ result: undefined, messages: ['said something'] }),
      'return 0': () => ({ result: 0 }),
      'return {}': () => ({ result: {} }),
      'return "x"': () => ({ result: 'x' }),
    });
    const world = new World({ expressions: runtime });
    expect(await runPolicy(world, world.expression('return []'))).toMatchObject({ passing: false, raw_result: [] });
    expect(await runPolicy(world, world.expression('return [1]'))).toMatchObject({ passing: true, messages: ['one'], raw_result: [1] });
    const none = await runPolicy(world, world.expression('pass'));
    expect(none).toMatchObject({ passing: false, messages: ['said something'], raw_result: null });
    expect(none.logs.some((l) => l.level === 'warning')).toBe(true);
    expect(await runPolicy(world, world.expression('return 0'))).toMatchObject({ passing: false });
    expect(await runPolicy(world, world.expression('return {}'))).toMatchObject({ passing: false });
    expect(await runPolicy(world, world.expression('return "x"'))).toMatchObject({ passing: true });
  });

  it('hands the evaluator its variables: request, context (users resolved), ak_client_ip, ak_is_sso_flow', async () => {
    const runtime = new ScriptedExpressionRuntime({ probe: () => ({ result: true }) });
    const world = new World({ expressions: runtime });
    const pending = world.user({ username: 'pending' });
    const session = world.user({ username: 'session' });
    await runPolicy(world, world.expression('probe'), {
      user: session,
      request: request({ session_user: session, ip: '198.51.100.7' }),
      context: { pending_user: { $user: pending.pk }, is_sso: true },
    });
    const variables = runtime.calls[0]!.variables;
    expect(variables.request.user.username).toBe('session');
    expect((variables.context.pending_user as EngineUser).username).toBe('pending');
    expect(variables.ak_client_ip).toBe('198.51.100.7');
    expect(variables.ak_is_sso_flow).toBe(true);
    expect(variables.context).toBe(variables.request.context);
  });

  it('an anonymous request user is passed as such', async () => {
    const runtime = new ScriptedExpressionRuntime({ probe: (v) => ({ result: v.request.user.is_anonymous }) });
    const world = new World({ expressions: runtime });
    expect(await runPolicy(world, world.expression('probe'), { user: anonymousUser(), request: request() })).toMatchObject({ passing: true });
  });
});
