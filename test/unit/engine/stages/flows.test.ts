import { describe, expect, it } from 'vitest';
import { navigate, respond, runSessionUser, startRun } from '../../../../src/main/engine/executor';
import { FLOWBENCH_CAPTCHA_FAIL, FLOWBENCH_CAPTCHA_PASS } from '../../../../src/main/engine/memory';
import { currentTotpCode } from '../../../../src/main/engine/stages';
import { request, World } from '../fixtures';
import { bindStage, expectStatus, IDENTIFICATION_STAGE, USER_LOGIN_STAGE } from '../executor/helpers';
import { CAPTCHA_STAGE, CONSENT_STAGE, EMAIL_STAGE, INVITATION_STAGE, staticDevice, totpDevice, TOTP_SECRET, VALIDATE_STAGE } from './helpers';

const USER_WRITE_STAGE = 'authentik_stages_user_write.userwritestage';

/** End to end through startRun / respond / navigate, as the flow-test runner drives a run. */
describe('flows end to end', () => {
  it('recovery through the outbox link: identify by email, mail, open the link, logged in', async () => {
    const world = new World();
    world.user({ username: 'alice', email: 'alice@example.org' });
    const flow = world.flow({ slug: 'default-recovery-flow', designation: 'recovery' });
    bindStage(world, flow, 10, { name: 'recovery-identification', kind: IDENTIFICATION_STAGE, config: { user_fields: ['email'] } });
    bindStage(world, flow, 20, { name: 'recovery-email', kind: EMAIL_STAGE, config: {} });
    bindStage(world, flow, 30, { name: 'recovery-login', kind: USER_LOGIN_STAGE, config: {} });

    const identify = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-identification');
    const sent = expectStatus(await respond(world.engine, identify.state, { uid_field: 'alice@example.org' }), 'challenge', 'ak-stage-email');
    const message = world.engine.outbox.newest({ to: 'alice@example.org' });
    expect(message?.subject).toBe('authentik');
    const done = expectStatus(await navigate(world.engine, sent.state, message!.link!), 'completed');
    expect(runSessionUser(world.engine, done.state)?.username).toBe('alice');
    expect(done.state.stages_run).toEqual(['recovery-identification', 'recovery-email', 'recovery-email', 'recovery-login']);

    // An unknown address sees the same screen, and nothing is sent.
    const unknown = await startRun(world.engine, { flow: flow.slug, request: request() });
    expectStatus(await respond(world.engine, unknown.state, { uid_field: 'nobody@example.org' }), 'challenge', 'ak-stage-email');
    expect(world.engine.outbox.list()).toHaveLength(1);
  });

  it('sign-in with MFA: the TOTP code at the fake clock passes; the login event records auth_mfa and the device', async () => {
    const world = new World();
    const user = world.user({ username: 'bob' });
    const device = totpDevice(world, user);
    const flow = world.flow({ slug: 'login' });
    bindStage(world, flow, 10, { name: 'identification', kind: IDENTIFICATION_STAGE, config: { user_fields: ['username'] } });
    bindStage(world, flow, 20, { name: 'mfa', kind: VALIDATE_STAGE, config: { device_classes: ['totp', 'static'] } });
    bindStage(world, flow, 30, { name: 'login', kind: USER_LOGIN_STAGE, config: {} });
    world.engine.clock.set('2025-03-01T12:00:10Z');

    const identify = await startRun(world.engine, { flow: flow.slug, request: request() });
    const mfa = expectStatus(await respond(world.engine, identify.state, { uid_field: 'bob' }), 'challenge', 'ak-stage-authenticator-validate');
    const wrong = await respond(world.engine, mfa.state, { code: '12345' });
    expect(wrong.response?.response_errors).toHaveProperty('code');
    const code = currentTotpCode({ secret: TOTP_SECRET, digits: 6, period: 30 }, world.engine.clock.now());
    const done = expectStatus(await respond(world.engine, wrong.state, { code }), 'completed');
    expect(runSessionUser(world.engine, done.state)?.username).toBe('bob');
    expect(world.engine.events.query({ action: 'login' })[0]?.context).toEqual({
      auth_method: 'auth_mfa',
      auth_method_args: { mfa_devices: [{ app: 'authentik_stages_authenticator_totp', model_name: 'totpdevice', name: 'phone', pk: device.pk }] },
    });
  });

  it('a static token signs in once; the second time it is refused', async () => {
    const world = new World();
    const user = world.user({ username: 'bob' });
    staticDevice(world, user, ['backup-one']);
    const flow = world.flow({ slug: 'login' });
    bindStage(world, flow, 10, { name: 'identification', kind: IDENTIFICATION_STAGE, config: { user_fields: ['username'] } });
    bindStage(world, flow, 20, { name: 'mfa', kind: VALIDATE_STAGE, config: { not_configured_action: 'deny' } });
    bindStage(world, flow, 30, { name: 'login', kind: USER_LOGIN_STAGE, config: {} });
    const signIn = async () => {
      const first = await startRun(world.engine, { flow: flow.slug, request: request() });
      const mfa = await respond(world.engine, first.state, { uid_field: 'bob' });
      return respond(world.engine, mfa.state, { code: 'backup-one' });
    };
    expectStatus(await signIn(), 'completed');
    // The device has no tokens left but still exists, so the stage asks (and refuses the old token).
    const second = expectStatus(await signIn(), 'challenge', 'ak-stage-authenticator-validate');
    expect(second.response?.response_errors).toEqual({
      code: [{ string: 'Invalid Token. Please ensure the time on your device is accurate and try again.', code: 'invalid' }],
    });
  });

  it('consent in an authorization flow: permanent is remembered, expiring is asked again after it expires', async () => {
    const world = new World();
    const user = world.user({ username: 'carol' });
    const apps = { permanent: { pk: 'app-wiki', name: 'Wiki' }, expiring: { pk: 'app-chat', name: 'Chat' } };
    for (const mode of ['permanent', 'expiring'] as const) {
      const flow = world.flow({ slug: `authz-${mode}`, designation: 'authorization' });
      bindStage(world, flow, 0, { name: `consent-${mode}`, kind: CONSENT_STAGE, config: { mode, consent_expire_in: 'days=1' } });
    }
    const authorize = (mode: 'permanent' | 'expiring') =>
      startRun(world.engine, {
        flow: `authz-${mode}`,
        request: request({ session_user: user }),
        query: { next: '/application/o/authorize/' },
        context: { application: apps[mode] },
      });
    for (const mode of ['permanent', 'expiring'] as const) {
      const first = expectStatus(await authorize(mode), 'challenge', 'ak-stage-consent');
      expect(first.response?.flow_info).toBeDefined();
      const done = expectStatus(await respond(world.engine, first.state, { token: first.response?.token }), 'completed');
      expect(done.response).toEqual({ component: 'xak-flow-redirect', to: '/application/o/authorize/' });
      expectStatus(await authorize(mode), 'completed');
    }
    world.engine.clock.set('2025-01-02T00:00:01Z');
    expectStatus(await authorize('permanent'), 'completed');
    expectStatus(await authorize('expiring'), 'challenge', 'ak-stage-consent');
  });

  it('captcha in front of a login: a failing token is refused, a passing one continues', async () => {
    const world = new World();
    const user = world.user({ username: 'dora' });
    const flow = world.flow({ slug: 'guarded' });
    bindStage(world, flow, 10, { name: 'identification', kind: IDENTIFICATION_STAGE, config: { user_fields: ['username'] } });
    bindStage(world, flow, 20, { name: 'captcha', kind: CAPTCHA_STAGE, config: { public_key: 'pk', private_key: 'sk' } });
    bindStage(world, flow, 30, { name: 'login', kind: USER_LOGIN_STAGE, config: {} });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const captcha = expectStatus(await respond(world.engine, first.state, { uid_field: 'dora' }), 'challenge', 'ak-stage-captcha');
    expect(captcha.response).toMatchObject({ pending_user: 'dora' });
    const failed = await respond(world.engine, captcha.state, { token: FLOWBENCH_CAPTCHA_FAIL });
    expect(failed.response?.response_errors).toHaveProperty('token');
    const done = expectStatus(await respond(world.engine, failed.state, { token: FLOWBENCH_CAPTCHA_PASS }), 'completed');
    expect(runSessionUser(world.engine, done.state)?.pk).toBe(user.pk);
  });

  it('invitation enrollment: fixed_data becomes the new user; a single-use invitation works once', async () => {
    const world = new World();
    const flow = world.flow({ slug: 'invite-enrollment', designation: 'enrollment' });
    bindStage(world, flow, 10, { name: 'invitation', kind: INVITATION_STAGE, config: {} });
    bindStage(world, flow, 20, { name: 'write', kind: USER_WRITE_STAGE, config: {} });
    bindStage(world, flow, 30, { name: 'login', kind: USER_LOGIN_STAGE, config: {} });
    const pk = '9f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    world.engine.invitations.save({
      pk,
      name: 'one-time',
      expires: null,
      flow: flow.pk,
      single_use: true,
      fixed_data: { username: 'newbie', email: 'newbie@example.org', name: 'New Bie' },
      created_by: null,
    });
    const done = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), query: { itoken: pk } }), 'completed');
    expect(runSessionUser(world.engine, done.state)).toMatchObject({ username: 'newbie', email: 'newbie@example.org', name: 'New Bie' });
    expect(world.engine.invitations.list()).toEqual([]);
    const again = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), query: { itoken: pk } }), 'denied');
    expect(again.response).toMatchObject({ error_message: 'Invalid invite/invite not found' });
  });
});
