import { describe, expect, it } from 'vitest';
import { respond, restartRun, runSessionUser, startRun } from '../../../../src/main/engine/executor';
import { currentTotpCode } from '../../../../src/main/engine/stages';
import { placeholderUser, userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import { bindStage, expectStatus, USER_LOGIN_STAGE } from '../executor/helpers';
import { lastContext, staticDevice, STATIC_STAGE, totpDevice, TOTP_SECRET, TOTP_STAGE, VALIDATE_STAGE, webauthnDevice } from './helpers';

const INVALID_TOKEN = 'Invalid Token. Please ensure the time on your device is accurate and try again.';

function mfaWorld(config: Record<string, unknown> = {}, designation: 'authentication' | 'authorization' = 'authentication') {
  const world = new World();
  const user = world.user({ username: 'bob' });
  const flow = world.flow({ slug: 'login', designation });
  const { stage } = bindStage(world, flow, 10, { name: 'mfa', kind: VALIDATE_STAGE, config });
  bindStage(world, flow, 20, { name: 'login', kind: USER_LOGIN_STAGE, config: {} });
  return { world, user, flow, stage };
}

const code = (world: World, offsetSeconds = 0) => currentTotpCode({ secret: TOTP_SECRET, digits: 6, period: 30 }, world.engine.clock.now() + offsetSeconds * 1000);

describe('authenticator_validate — challenge', () => {
  it('one device challenge per allowed class (with user info); no configuration stages', async () => {
    const { world, user, flow } = mfaWorld();
    const totp = totpDevice(world, user);
    const backup = staticDevice(world, user);
    staticDevice(world, user, ['cccc3333']);
    totpDevice(world, user, { confirmed: false } as never);
    const result = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }),
      'challenge',
      'ak-stage-authenticator-validate',
    );
    expect(result.response).toMatchObject({
      pending_user: 'bob',
      device_challenges: [
        { device_class: 'static', device_uid: String(backup.pk), challenge: {}, last_used: null },
        { device_class: 'totp', device_uid: String(totp.pk), challenge: {}, last_used: null },
      ],
      configuration_stages: [],
    });
    expect(result.response).not.toHaveProperty('flowbench_notice');
  });

  it('device_classes filters the challenges (but a code is still matched against every device, as authentik does)', async () => {
    const { world, user, flow } = mfaWorld({ device_classes: ['totp'] });
    totpDevice(world, user);
    staticDevice(world, user);
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    expect((first.response?.device_challenges as unknown[]).map((c) => (c as { device_class: string }).device_class)).toEqual(['totp']);
    expectStatus(await respond(world.engine, first.state, { code: 'aaaa1111' }), 'completed');
  });

  it('WebAuthn challenges are labelled simulated', async () => {
    const { world, user, flow } = mfaWorld();
    const key = webauthnDevice(world, user);
    const result = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    expect(result.response).toMatchObject({
      flowbench_notice: 'WebAuthn is simulated in Flowbench',
      device_challenges: [
        {
          device_class: 'webauthn',
          device_uid: String(key.pk),
          challenge: { flowbench_notice: 'WebAuthn is simulated in Flowbench', allowCredentials: [{ type: 'public-key', id: `cred-${user.pk}` }], userVerification: 'preferred' },
        },
      ],
    });
  });
});

describe('authenticator_validate — codes', () => {
  it('TOTP: a wrong code is rejected (login_failed, reputation −1); the current code passes with auth_mfa', async () => {
    const { world, user, flow } = mfaWorld();
    const device = totpDevice(world, user);
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user), auth_method: 'password' } });
    const wrong = expectStatus(await respond(world.engine, first.state, { code: '000000' === code(world) ? '111111' : '000000' }), 'challenge');
    expect(wrong.response?.response_errors).toEqual({ code: [{ string: INVALID_TOKEN, code: 'invalid' }] });
    expect(world.engine.events.query({ action: 'login_failed' })).toEqual([
      expect.objectContaining({ user: { pk: user.pk, username: 'bob', email: '' }, context: expect.objectContaining({ username: 'bob', device_class: 'totp' }) }),
    ]);
    expect(world.engine.reputation.score({ identifier: 'bob' })).toBe(-1);
    const done = expectStatus(await respond(world.engine, wrong.state, { code: ` ${code(world)} ` }), 'completed');
    expect(runSessionUser(world.engine, done.state)?.username).toBe('bob');
    const context = lastContext(done.state);
    // auth_method is only set by default: an earlier password stage wins.
    expect(context.auth_method).toBe('password');
    expect(context.auth_method_args).toEqual({ mfa_devices: [{ app: 'authentik_stages_authenticator_totp', model_name: 'totpdevice', name: 'phone', pk: device.pk }] });
    expect(world.engine.devices.get(device.pk)).toMatchObject({ last_used: '2025-01-01T00:00:00.000Z', last_t: Math.floor(Date.parse('2025-01-01T00:00:00Z') / 30_000) });
  });

  it('TOTP: auth_method defaults to auth_mfa; ±1 time step is accepted (drift learned), a used step never again', async () => {
    const { world, user, flow } = mfaWorld();
    totpDevice(world, user);
    const run = () => startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    world.engine.clock.set('2025-01-01T00:10:00Z');
    const previous = code(world, -30);
    const first = await run();
    const done = expectStatus(await respond(world.engine, first.state, { code: previous }), 'completed');
    expect(lastContext(done.state).auth_method).toBe('auth_mfa');
    const replay = await run();
    expect((await respond(world.engine, replay.state, { code: previous })).response?.response_errors).toEqual({ code: [{ string: INVALID_TOKEN, code: 'invalid' }] });
    expect((await respond(world.engine, replay.state, { code: code(world, -60) })).response?.response_errors).toBeDefined();
    // django-otp learned a drift of −1 step: now the window is [T−2, T], and T−1 is used.
    expect(world.engine.devices.list()[0]).toMatchObject({ drift: -1 });
    expect((await respond(world.engine, replay.state, { code: code(world, 30) })).response?.response_errors).toBeDefined();
    expectStatus(await respond(world.engine, replay.state, { code: code(world) }), 'completed');
  });

  it('static: a token works once and is consumed', async () => {
    const { world, user, flow } = mfaWorld();
    const device = staticDevice(world, user);
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const done = expectStatus(await respond(world.engine, first.state, { code: 'aaaa1111' }), 'completed');
    expect(lastContext(done.state).auth_method_args).toEqual({ mfa_devices: [{ app: 'authentik_stages_authenticator_static', model_name: 'staticdevice', name: 'backup', pk: device.pk }] });
    expect(world.engine.devices.get(device.pk)).toMatchObject({ tokens: ['bbbb2222'] });
    const again = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    expect((await respond(world.engine, again.state, { code: 'aaaa1111' })).response?.response_errors).toEqual({ code: [{ string: INVALID_TOKEN, code: 'invalid' }] });
  });

  it('response errors: empty response, blank code, no code class offered, duo', async () => {
    const { world, user, flow } = mfaWorld();
    webauthnDevice(world, user);
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    expect((await respond(world.engine, first.state, {})).response?.response_errors).toEqual({ non_field_errors: [{ string: 'Empty response', code: 'invalid' }] });
    expect((await respond(world.engine, first.state, { code: ' ' })).response?.response_errors).toEqual({ code: [{ string: 'This field may not be blank.', code: 'blank' }] });
    expect((await respond(world.engine, first.state, { code: '123456' })).response?.response_errors).toEqual({
      code: [{ string: 'No compatible device class allowed', code: 'invalid' }],
    });
    expect((await respond(world.engine, first.state, { duo: 1 })).response?.response_errors).toEqual({ duo: [{ string: 'No compatible device class allowed', code: 'invalid' }] });
    expect((await respond(world.engine, first.state, { selected_challenge: { device_class: 'totp', device_uid: '9' }, code: 'x' })).response?.response_errors).toMatchObject({
      selected_challenge: [{ string: 'invalid challenge selected', code: 'invalid' }],
    });
  });
});

describe('authenticator_validate — WebAuthn (simulated)', () => {
  it('{webauthn: {simulated: true, device}} passes; another user\'s or an unknown device is "Invalid device"; anything else "Assertion failed"', async () => {
    const { world, user, flow } = mfaWorld();
    const key = webauthnDevice(world, user);
    const otherKey = webauthnDevice(world, world.user({ username: 'eve' }));
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const errors = async (webauthn: unknown) => (await respond(world.engine, first.state, { webauthn })).response?.response_errors;
    expect(await errors({ simulated: true, device: otherKey.pk })).toEqual({ webauthn: [{ string: 'Invalid device', code: 'invalid' }] });
    expect(await errors({ simulated: true, device: 999 })).toEqual({ webauthn: [{ string: 'Invalid device', code: 'invalid' }] });
    expect(await errors({ id: 'real-credential', response: {} })).toEqual({ webauthn: [{ string: 'Invalid device', code: 'invalid' }] });
    expect(await errors({ device: key.pk, response: { signature: 'x' } })).toEqual({ webauthn: [{ string: 'Assertion failed', code: 'invalid' }] });
    const done = expectStatus(await respond(world.engine, first.state, { webauthn: { simulated: true, device: key.pk } }), 'completed');
    expect(lastContext(done.state)).toMatchObject({ auth_method: 'auth_mfa', auth_method_args: { mfa_devices: [{ model_name: 'webauthndevice', pk: key.pk }] } });
  });

  it('passwordless: no user in an authentication flow → a user-less challenge; the device owner becomes the pending user', async () => {
    const { world, user, flow } = mfaWorld({ device_classes: ['webauthn'] });
    const key = webauthnDevice(world, user);
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-authenticator-validate');
    expect(first.response).toMatchObject({ device_challenges: [{ device_class: 'webauthn', device_uid: '-1', challenge: { allowCredentials: [] } }] });
    const done = expectStatus(await respond(world.engine, first.state, { webauthn: { simulated: true, device: key.pk } }), 'completed');
    expect(runSessionUser(world.engine, done.state)?.username).toBe('bob');
    expect(lastContext(done.state)).toMatchObject({
      pending_user: { $user: user.pk },
      auth_method: 'auth_webauthn_pwl',
      auth_method_args: { device: { model_name: 'webauthndevice', pk: key.pk } },
    });
  });

  it('no user outside authentication flows, or WebAuthn not allowed → the stage passes silently', async () => {
    const outside = mfaWorld({}, 'authorization');
    const skipped = await startRun(outside.world.engine, { flow: outside.flow.slug, request: request() });
    expect(skipped.state.stages_run).toEqual(['mfa', 'login']);
    expect(skipped.events.filter((e) => e.type === 'challenge')).toEqual([]);
    const noWebauthn = mfaWorld({ device_classes: ['totp'] });
    const result = await startRun(noWebauthn.world.engine, { flow: noWebauthn.flow.slug, request: request() });
    expect(result.state.stages_run).toEqual(['mfa', 'login']);
  });
});

describe('authenticator_validate — not configured', () => {
  it('skip passes, deny refuses with "No (allowed) MFA authenticator configured."', async () => {
    const skip = mfaWorld({ not_configured_action: 'skip' });
    expectStatus(await startRun(skip.world.engine, { flow: skip.flow.slug, request: request(), context: { pending_user: userRef(skip.user) } }), 'completed');
    const deny = mfaWorld({ not_configured_action: 'deny' });
    const denied = expectStatus(await startRun(deny.world.engine, { flow: deny.flow.slug, request: request(), context: { pending_user: userRef(deny.user) } }), 'denied');
    expect(denied.response).toMatchObject({ error_message: 'No (allowed) MFA authenticator configured.' });
    // An unsaved (pretend) user has no devices either.
    const placeholder = await startRun(deny.world.engine, { flow: deny.flow.slug, request: request(), context: { pending_user: userRef(placeholderUser({ username: 'ghost' })) } });
    expectStatus(placeholder, 'denied');
  });

  it('configure with one stage: it is inserted as the next stage (TOTP setup), then validation is done', async () => {
    const world = new World();
    const user = world.user({ username: 'bob' });
    const setup = world.stage({ name: 'totp-setup', kind: TOTP_STAGE, config: { digits: 6 } });
    const flow = world.flow();
    bindStage(world, flow, 10, { name: 'mfa', kind: VALIDATE_STAGE, config: { not_configured_action: 'configure', configuration_stages: [setup.pk] } });
    bindStage(world, flow, 20, { name: 'after' });
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }), 'challenge', 'ak-stage-authenticator-totp');
    expect(first.state.stages_run).toEqual(['mfa', 'totp-setup']);
    expect(first.state.plan?.bindings[1]).not.toMatch(/^inmemory:/);
  });

  it('configure with several stages: listed in the challenge; selected_stage runs that one next', async () => {
    const world = new World();
    const user = world.user({ username: 'bob' });
    const totp = world.stage({ name: 'totp-setup', kind: TOTP_STAGE, config: { digits: 6 } });
    const backup = world.stage({ name: 'static-setup', kind: STATIC_STAGE, config: {} });
    const flow = world.flow();
    bindStage(world, flow, 10, { name: 'mfa', kind: VALIDATE_STAGE, config: { not_configured_action: 'configure', configuration_stages: [totp.pk, backup.pk] } });
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }), 'challenge', 'ak-stage-authenticator-validate');
    expect(first.response).toMatchObject({
      device_challenges: [],
      configuration_stages: [
        { pk: totp.pk, name: 'totp-setup', verbose_name: 'TOTP Authenticator Setup Stage', meta_model_name: TOTP_STAGE },
        { pk: backup.pk, name: 'static-setup', verbose_name: 'Static Authenticator Setup Stage', meta_model_name: STATIC_STAGE },
      ],
    });
    expect((await respond(world.engine, first.state, { selected_stage: 'nope' })).response?.response_errors).toEqual({
      selected_stage: [{ string: 'Selected stage is invalid', code: 'invalid' }],
    });
    const chosen = expectStatus(await respond(world.engine, first.state, { selected_stage: backup.pk }), 'challenge', 'ak-stage-authenticator-static');
    expect(chosen.state.stages_run).toEqual(['mfa', 'static-setup']);
    expect(chosen.state.session.data).not.toHaveProperty('authentik/stages/authenticator_validate/stages');
  });

  it('configure without configuration stages: configuration_error event and access denied', async () => {
    const { world, user, flow } = mfaWorld({ not_configured_action: 'configure' });
    const denied = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }), 'denied');
    expect(denied.response).toMatchObject({ error_message: 'Unknown error' });
    expect(world.engine.events.query({ action: 'configuration_error' })).toEqual([
      expect.objectContaining({ context: expect.objectContaining({ message: 'Authenticator validation stage is set to configure user but no configuration flow is set.' }) }),
    ]);
  });
});

describe('authenticator_validate — last_auth_threshold', () => {
  it('a successful validation sets the MFA cookie; within the threshold the stage is skipped, then asked again', async () => {
    const { world, user, flow, stage } = mfaWorld({ last_auth_threshold: 'hours=1' });
    const device = totpDevice(world, user);
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const done = expectStatus(await respond(world.engine, first.state, { code: code(world) }), 'completed');
    expect(done.state.session.data.authentik_mfa).toEqual({ device: device.pk, stage: stage.pk.replaceAll('-', ''), exp: Date.parse('2025-01-01T01:00:00Z') / 1000 });
    world.engine.clock.set('2025-01-01T00:59:59Z');
    const skipped = expectStatus(await restartRun(world.engine, done.state), 'completed');
    expect(skipped.events.find((e) => e.type === 'stage_completed' && e.binding.stage.name === 'mfa')).toMatchObject({ via: 'skip' });
    world.engine.clock.set('2025-01-01T01:00:00Z');
    expectStatus(await restartRun(world.engine, skipped.state), 'challenge', 'ak-stage-authenticator-validate');
  });

  it('no threshold: no cookie', async () => {
    const { world, user, flow } = mfaWorld();
    totpDevice(world, user);
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const done = await respond(world.engine, first.state, { code: code(world) });
    expect(done.state.session.data).not.toHaveProperty('authentik_mfa');
  });
});
