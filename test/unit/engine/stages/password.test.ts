import { describe, expect, it } from 'vitest';
import { type JsonValue } from '../../../../src/shared/model';
import { respond, startRun } from '../../../../src/main/engine/executor';
import { type MemoryEngineOptions } from '../../../../src/main/engine/memory';
import { placeholderUser, userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import { bindStage, DUMMY_STAGE, expectStatus } from '../executor/helpers';
import { errorsOf, INBUILT, logLines, PASSWORD_STAGE, planContext, userWithPassword } from './core';
import { lastContext } from './helpers';

const INVALID = { password: [{ string: 'Invalid password', code: 'invalid' }] };
const LDAP = 'authentik.sources.ldap.auth.LDAPBackend';
const KERBEROS = 'authentik.sources.kerberos.auth.KerberosBackend';
const TOKEN = 'authentik.core.auth.TokenBackend';

function passwordWorld(config: Record<string, unknown> = {}, options: MemoryEngineOptions = {}) {
  const world = new World(options);
  const flow = world.flow();
  const { stage } = bindStage(world, flow, 0, { name: 'pw', kind: PASSWORD_STAGE, config: { backends: [INBUILT], ...config } });
  bindStage(world, flow, 1, { name: 'after', kind: DUMMY_STAGE });
  const alice = userWithPassword(world, { username: 'alice', email: 'alice@example.org' }, 'right horse');
  const start = (context: Record<string, JsonValue> = { pending_user: userRef(alice) }) => startRun(world.engine, { flow: flow.slug, request: request(), context });
  return { world, flow, stage, alice, start };
}

describe('password stage — challenge', () => {
  it('ak-stage-password with user info and allow_show_password; the initial reputation score is remembered', async () => {
    const { world, start } = passwordWorld({ allow_show_password: true });
    world.engine.reputation.update('alice', '198.51.100.7', -2);
    const result = expectStatus(await start(), 'challenge', 'ak-stage-password');
    expect(result.response).toEqual({
      flow_info: expect.objectContaining({ title: 'Test flow' }),
      component: 'ak-stage-password',
      pending_user: 'alice',
      pending_user_avatar: expect.any(String),
      allow_show_password: true,
    });
    expect(planContext(result.state)['goauthentik.io/stages/password/initial_score']).toBe(-2);
  });
});

describe('password stage — checking the password', () => {
  it('the right password: pending_user, user_backend, auth_method password', async () => {
    const { alice, start, world } = passwordWorld();
    const first = await start();
    const next = expectStatus(await respond(world.engine, first.state, { password: 'right horse' }), 'challenge', 'ak-stage-dummy');
    expect(lastContext(next.state)).toMatchObject({
      pending_user: { $user: alice.pk },
      user_backend: INBUILT,
      auth_method: 'password',
      auth_method_args: {},
    });
    expect(world.engine.events.query({ action: 'login_failed' })).toEqual([]);
  });

  it('an auth_method already in the context is kept (setdefault)', async () => {
    const { alice, start, world } = passwordWorld();
    const first = await start({ pending_user: userRef(alice), auth_method: 'auth_mfa', auth_method_args: { mfa_devices: [] } });
    const next = await respond(world.engine, first.state, { password: 'right horse' });
    expect(lastContext(next.state)).toMatchObject({ auth_method: 'auth_mfa', auth_method_args: { mfa_devices: [] } });
  });

  it('a wrong password: "Invalid password" (invalid), a login_failed event with cleansed credentials, reputation −1', async () => {
    const { alice, stage, start, world } = passwordWorld();
    const first = await start();
    const retry = expectStatus(await respond(world.engine, first.state, { password: 'wrong' }), 'challenge', 'ak-stage-password');
    expect(errorsOf(retry)).toEqual(INVALID);
    expect(retry.response).toMatchObject({ pending_user: 'alice' });
    expect(world.engine.events.query({ action: 'login_failed' })).toEqual([
      expect.objectContaining({
        user: { pk: alice.pk, username: 'alice', email: 'alice@example.org' },
        client_ip: '192.0.2.10',
        context: {
          username: 'alice',
          password: '********************',
          stage: { pk: stage.pk.replaceAll('-', ''), app: 'authentik_stages_password', model_name: 'passwordstage', name: 'pw' },
        },
      }),
    ]);
    expect(world.engine.reputation.records()).toEqual([expect.objectContaining({ identifier: 'alice', ip: '192.0.2.10', score: -1 })]);
    // The retry succeeds.
    expectStatus(await respond(world.engine, retry.state, { password: 'right horse' }), 'challenge', 'ak-stage-dummy');
  });

  it('whitespace is part of the password; blank or missing → DRF texts', async () => {
    const { world, flow } = passwordWorld();
    const spaced = userWithPassword(world, { username: 'spaced' }, ' pad ');
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(spaced) } });
    expect(errorsOf(await respond(world.engine, first.state, { password: 'pad' }))).toEqual(INVALID);
    expect(errorsOf(await respond(world.engine, first.state, { password: '' }))).toEqual({ password: [{ string: 'This field may not be blank.', code: 'blank' }] });
    expect(errorsOf(await respond(world.engine, first.state, {}))).toEqual({ password: [{ string: 'This field is required.', code: 'required' }] });
    expectStatus(await respond(world.engine, first.state, { password: ' pad ' }), 'challenge', 'ak-stage-dummy');
  });

  it('no pending user → stage_invalid "No pending user"', async () => {
    const { world, flow } = passwordWorld();
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-password');
    expect(first.response).toMatchObject({ pending_user: '' });
    const denied = expectStatus(await respond(world.engine, first.state, { password: 'x' }), 'denied', 'ak-stage-access-denied');
    expect(denied.response).toMatchObject({ error_message: 'No pending user' });
  });

  it('an inactive user is refused like a wrong password (Django ModelBackend), with a log line saying why', async () => {
    const { world, flow } = passwordWorld();
    const bob = userWithPassword(world, { username: 'bob', is_active: false }, 'pw');
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(bob) } });
    const retry = await respond(world.engine, first.state, { password: 'pw' });
    expect(errorsOf(retry)).toEqual(INVALID);
    expect(logLines(retry).join('\n')).toMatch(/inactive/);
    expect(world.engine.reputation.score({ identifier: 'bob' })).toBe(-1);
  });

  it('an unsaved placeholder (pretend_user_exists) simply fails; the backend looks the username up', async () => {
    const { world, flow } = passwordWorld();
    const first = await startRun(world.engine, {
      flow: flow.slug,
      request: request(),
      context: { pending_user: userRef(placeholderUser({ username: 'ghost', email: 'ghost' })) },
    });
    expect(first.response).toMatchObject({ pending_user: 'ghost' });
    expect(errorsOf(await respond(world.engine, first.state, { password: 'anything' }))).toEqual(INVALID);
    expect(world.engine.events.query({ action: 'login_failed' })[0]).toMatchObject({ user: { username: 'AnonymousUser' }, context: { username: 'ghost' } });
  });

  it('TokenBackend (no app passwords), LDAP and Kerberos (offline) never authenticate; the trace says why', async () => {
    const { start, world } = passwordWorld({ backends: [TOKEN, LDAP, KERBEROS] });
    const first = await start();
    const retry = await respond(world.engine, first.state, { password: 'right horse' });
    expect(errorsOf(retry)).toEqual(INVALID);
    const logs = logLines(retry).join('\n');
    expect(logs).toMatch(/TokenBackend: app passwords .* not simulated/);
    expect(logs).toMatch(/LDAPBackend skipped: .* offline/);
    expect(logs).toMatch(/KerberosBackend skipped: .* offline/);
  });

  it('backends in order: after an offline LDAP backend the InbuiltBackend authenticates', async () => {
    const { start, world } = passwordWorld({ backends: [LDAP, INBUILT] });
    const first = await start();
    const next = expectStatus(await respond(world.engine, first.state, { password: 'right horse' }), 'challenge', 'ak-stage-dummy');
    expect(lastContext(next.state).user_backend).toBe(INBUILT);
  });

  it('without a password verifier nothing matches (logged); a stored hash needs verifyPasswordHash', async () => {
    const { start, world } = passwordWorld();
    const noVerifier = { ...world.engine, passwords: null };
    const first = await startRun(noVerifier, { flow: (await start()).state.flow_slug, request: request(), context: { pending_user: { $user: world.ws.findUsers({ username: 'alice' })[0]!.pk } } });
    const retry = await respond(noVerifier, first.state, { password: 'right horse' });
    expect(errorsOf(retry)).toEqual(INVALID);
    expect(logLines(retry).join('\n')).toMatch(/no password verifier/);

    const hashed = passwordWorld({}, { verifyPasswordHash: (hash, password) => Promise.resolve(hash === `$fake$${password}`) });
    hashed.world.ws.setPasswordHash(hashed.alice.pk as number, '$fake$s3cret');
    const h1 = await hashed.start();
    expect(errorsOf(await respond(hashed.world.engine, h1.state, { password: 'right horse' }))).toEqual(INVALID);
    expectStatus(await respond(hashed.world.engine, h1.state, { password: 's3cret' }), 'challenge', 'ak-stage-dummy');
    const unverifiable = passwordWorld();
    unverifiable.world.ws.setPasswordHash(unverifiable.alice.pk as number, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA');
    const u1 = await unverifiable.start();
    expect(errorsOf(await respond(unverifiable.world.engine, u1.state, { password: 'right horse' }))).toEqual(INVALID);
  });
});

describe('password stage — failed_attempts_before_cancel', () => {
  it('cancels with "Invalid password" once the score dropped by the limit since the challenge was shown', async () => {
    const { start, world } = passwordWorld({ failed_attempts_before_cancel: 3 });
    let step = await start();
    step = await respond(world.engine, step.state, { password: 'wrong-1' });
    expect(errorsOf(step)).toEqual(INVALID);
    step = await respond(world.engine, step.state, { password: 'wrong-2' });
    expect(errorsOf(step)).toEqual(INVALID);
    const denied = expectStatus(await respond(world.engine, step.state, { password: 'wrong-3' }), 'denied', 'ak-stage-access-denied');
    expect(denied.response).toMatchObject({ error_message: 'Invalid password' });
    expect(denied.state.outcome).toMatchObject({ reason: 'stage_invalid', stage: 'pw' });
  });

  it('the delta counts failures anywhere (other IPs), not responses; a blank response is checked too', async () => {
    const { start, world } = passwordWorld({ failed_attempts_before_cancel: 2 });
    const first = await start();
    // Someone else fails for alice from another IP after the challenge was shown.
    world.engine.reputation.update('alice', '203.0.113.9', -1);
    const blank = await respond(world.engine, first.state, { password: '' });
    expect(errorsOf(blank)).toEqual({ password: [{ string: 'This field may not be blank.', code: 'blank' }] });
    expectStatus(await respond(world.engine, blank.state, { password: 'wrong' }), 'denied');
  });

  it('0 cancels on the first invalid response', async () => {
    const { start, world } = passwordWorld({ failed_attempts_before_cancel: 0 });
    const first = await start();
    expectStatus(await respond(world.engine, first.state, { password: '' }), 'denied');
  });

  it('a restart action on the binding restarts instead of denying', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 'pw', kind: PASSWORD_STAGE, config: { backends: [INBUILT], failed_attempts_before_cancel: 1 } }, { invalid_response_action: 'restart_with_context' });
    const alice = userWithPassword(world, { username: 'alice' }, 'pw');
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(alice) } });
    const again = expectStatus(await respond(world.engine, first.state, { password: 'nope' }), 'challenge', 'ak-stage-password');
    expect(again.events.some((e) => e.type === 'restart')).toBe(true);
  });
});
