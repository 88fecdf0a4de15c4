import { describe, expect, it } from 'vitest';
import { createMemoryEngine } from '../../../../src/main/engine/memory';
import { navigate, respond, runSessionUser, startRun } from '../../../../src/main/engine/executor';
import { userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import { bindStage, DENY_STAGE, expectStatus, REDIRECT_STAGE, USER_DELETE_STAGE, USER_LOGIN_STAGE, USER_LOGOUT_STAGE } from './helpers';

describe('stages — deny', () => {
  it('context.deny_message overrides the stage message; an empty message is "Unknown error"', async () => {
    const world = new World();
    const withMessage = world.flow();
    bindStage(world, withMessage, 0, { kind: DENY_STAGE, config: { deny_message: 'Stage says no' } });
    expect((await startRun(world.engine, { flow: withMessage.slug, request: request() })).response).toMatchObject({ error_message: 'Stage says no' });
    expect(
      (await startRun(world.engine, { flow: withMessage.slug, request: request(), context: { deny_message: 'Policy says no' } })).response,
    ).toMatchObject({ error_message: 'Policy says no' });
    const bare = world.flow();
    bindStage(world, bare, 0, { kind: DENY_STAGE, config: {} });
    expect((await startRun(world.engine, { flow: bare.slug, request: request() })).response).toMatchObject({ error_message: 'Unknown error' });
  });
});

describe('stages — user_login', () => {
  it('logs the pending user in: session user, login event, last_login, reputation +1, new session key', async () => {
    const world = new World();
    const user = world.user({ username: 'frank' });
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 'login', kind: USER_LOGIN_STAGE, config: { session_duration: 'hours=8' } });
    const result = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user), auth_method: 'password' } }),
      'completed',
    );
    expect(result.state.session.user).toEqual({ $user: user.pk });
    expect(result.state.session.key).not.toBe('session-1');
    expect(result.state.session.data).toMatchObject({ expiry_seconds: 28_800, last_ip: '192.0.2.10', backend: 'authentik.core.auth.InbuiltBackend' });
    expect(runSessionUser(world.engine, result.state)?.username).toBe('frank');
    expect(world.engine.events.query({ action: 'login' })).toEqual([
      expect.objectContaining({ user: { pk: user.pk, username: 'frank', email: '' }, context: { auth_method: 'password', auth_method_args: {} } }),
    ]);
    expect(world.ws.userByPk(user.pk!)?.last_login).toBe('2025-01-01T00:00:00.000Z');
    expect(world.engine.reputation.score({ identifier: 'frank' })).toBe(1);
    expect(result.messages).toEqual([{ level: 'success', message: 'Successfully logged in!' }]);
    expect(result.state.stages_run).toEqual(['login']);
  });

  it('no pending user → access denied ("Unknown error"), the reason as a message', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: USER_LOGIN_STAGE, config: {} });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'denied', 'ak-stage-access-denied');
    expect(result.response).toMatchObject({ error_message: 'Unknown error' });
    expect(result.messages).toEqual([{ level: 'error', message: 'No Pending user to login.' }]);
  });

  it('an inactive pending user is not logged in', async () => {
    const world = new World();
    const user = world.user({ is_active: false });
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: USER_LOGIN_STAGE, config: {} });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }), 'denied');
    expect(result.state.session.user).toBeNull();
  });

  it('remember me: the offset is added when remember_me is true', async () => {
    const world = new World();
    const user = world.user();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: USER_LOGIN_STAGE, config: { session_duration: 'hours=1', remember_me_offset: 'days=1' } });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const yes = await respond(world.engine, first.state, { remember_me: true });
    expect(yes.state.session.data.expiry_seconds).toBe(3600 + 86_400);
    const second = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const no = await respond(world.engine, second.state, { remember_me: 'false' });
    expect(no.state.session.data.expiry_seconds).toBe(3600);
  });

  it('logging in someone else than the session user flushes the session (a final `next` is lost)', async () => {
    const world = new World();
    const alice = world.user({ username: 'alice' });
    const bob = world.user({ username: 'bob' });
    const flow = world.flow({ designation: 'authorization' });
    bindStage(world, flow, 0, { kind: USER_LOGIN_STAGE, config: {} });
    const other = await startRun(world.engine, {
      flow: flow.slug,
      request: request({ session_user: alice }),
      query: { next: '/app' },
      context: { pending_user: userRef(bob) },
    });
    expect(other.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(other.state.session.user).toEqual({ $user: bob.pk });
    const same = await startRun(world.engine, {
      flow: flow.slug,
      request: request({ session_user: alice }),
      query: { next: '/app' },
      context: { pending_user: userRef(alice) },
    });
    expect(same.response).toEqual({ component: 'xak-flow-redirect', to: '/app' });
  });
});

describe('stages — user_logout', () => {
  it('ends the session and records a logout event', async () => {
    const world = new World();
    const user = world.user({ username: 'gina' });
    const flow = world.flow({ designation: 'invalidation' });
    bindStage(world, flow, 0, { name: 'logout', kind: USER_LOGOUT_STAGE, config: {} });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }) }), 'completed');
    expect(result.state.session).toMatchObject({ user: null, data: {} });
    expect(world.engine.events.query({ action: 'logout' })).toEqual([expect.objectContaining({ user: { pk: user.pk, username: 'gina', email: '' } })]);
    expect(result.state.stages_run).toEqual(['logout']);
  });
});

describe('stages — user_delete', () => {
  it('deletes the request user through the writer (with its user bindings), logs out, drops pending_user', async () => {
    const world = new World();
    const user = world.user({ username: 'henry' });
    const flow = world.flow({ designation: 'unenrollment' });
    const other = world.flow();
    const binding = world.pb(other, { order: 0, user: user.pk });
    bindStage(world, flow, 0, { kind: USER_DELETE_STAGE, config: {} });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }) }), 'completed');
    expect(world.ws.userByPk(user.pk!)).toBeNull();
    expect(world.ws.policyBindingsByPk.has(binding.pk)).toBe(false);
    expect(result.state.session.user).toBeNull();
    expect(result.events.find((e) => e.type === 'side_effect')).toMatchObject({ action: 'delete_user', applied: true });
  });

  it('the pending user wins over the session user and leaves the context', async () => {
    const world = new World();
    const pending = world.user();
    const session = world.user();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: USER_DELETE_STAGE, config: {} });
    bindStage(world, flow, 1, { name: 'after' });
    const result = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: session }), context: { pending_user: userRef(pending) } });
    expect(world.ws.userByPk(pending.pk!)).toBeNull();
    expect(world.ws.userByPk(session.pk!)).not.toBeNull();
    expect(result.state.plan?.context).toEqual({});
  });

  it('anonymous → "No Pending User."; without a writer nothing is deleted and the trace says so', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: USER_DELETE_STAGE, config: {} });
    const anonymous = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(anonymous.response).toMatchObject({ component: 'ak-stage-access-denied', error_message: 'No Pending User.' });

    const user = world.user();
    const readOnly = { ...createMemoryEngine({ snapshot: world.ws.snapshot() }), writer: null };
    const result = await startRun(readOnly, { flow: flow.slug, request: request({ session_user: user }) });
    expectStatus(result, 'completed');
    expect(readOnly.workspace.userByPk(user.pk!)).not.toBeNull();
    expect(result.events.find((e) => e.type === 'side_effect')).toMatchObject({ action: 'delete_user', applied: false });
  });
});

describe('stages — redirect', () => {
  it('static mode: xak-flow-redirect with flow_info; a response {to} passes', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: REDIRECT_STAGE, config: { mode: 'static', target_static: 'https://docs.example/' } });
    bindStage(world, flow, 1, { name: 'after' });
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'redirect', 'xak-flow-redirect');
    expect(first.response).toMatchObject({ to: 'https://docs.example/', flow_info: { title: 'Test flow' } });
    expect(first.follow).toBeNull();
    const missing = await respond(world.engine, first.state, {});
    expect(missing.response?.response_errors).toEqual({ to: [{ string: 'This field is required.', code: 'required' }] });
    const next = await respond(world.engine, missing.state, { to: 'https://docs.example/' });
    expect(next.response).toMatchObject({ component: 'ak-stage-dummy', name: 'after' });
  });

  it('flow mode: the target flow is planned with the context and is_redirected, then continued there', async () => {
    const world = new World();
    const target = world.flow({ slug: 'target', authentication: 'require_redirect' });
    bindStage(world, target, 0, { name: 'in-target' });
    const source = world.flow({ slug: 'source' });
    bindStage(world, source, 0, { kind: REDIRECT_STAGE, config: { mode: 'flow', target_flow: target.pk, keep_context: true } });
    const switched = expectStatus(
      await startRun(world.engine, { flow: 'source', request: request(), query: { next: '/x' }, context: { carried: 1 } }),
      'redirect',
      'xak-flow-redirect',
    );
    expect(switched.response).toMatchObject({ to: '/if/flow/target/?next=%2Fx' });
    expect(switched.follow).toEqual({ flow_slug: 'target', query: { next: '/x' } });
    expect(switched.state.plan?.flow_pk).toBe(target.pk);
    expect(switched.state.plan?.context).toEqual({ carried: 1, is_redirected: { $flow: source.pk } });
    const there = expectStatus(await navigate(world.engine, switched.state, { flow: 'target', query: { next: '/x' } }), 'challenge', 'ak-stage-dummy');
    expect(there.response).toMatchObject({ name: 'in-target' });
    const done = await respond(world.engine, there.state, {});
    expect(done.response).toEqual({ component: 'xak-flow-redirect', to: '/x' });
  });

  it('flow mode without keep_context; redirect_stage_target overrides (ak-flow://, unknown slug falls back)', async () => {
    const world = new World();
    const a = world.flow({ slug: 'flow-a' });
    bindStage(world, a, 0);
    const b = world.flow({ slug: 'flow-b' });
    bindStage(world, b, 0);
    const source = world.flow();
    bindStage(world, source, 0, { kind: REDIRECT_STAGE, config: { mode: 'flow', target_flow: a.pk, keep_context: false } });
    const plain = await startRun(world.engine, { flow: source.slug, request: request(), context: { carried: 1 } });
    expect(plain.state.plan?.context).toEqual({ is_redirected: { $flow: source.pk } });
    const override = await startRun(world.engine, { flow: source.slug, request: request(), context: { redirect_stage_target: 'ak-flow://flow-b' } });
    expect(override.response).toMatchObject({ to: '/if/flow/flow-b/' });
    const unknown = await startRun(world.engine, { flow: source.slug, request: request(), context: { redirect_stage_target: 'ak-flow://nope' } });
    expect(unknown.response).toMatchObject({ to: '/if/flow/flow-a/' });
    const url = await startRun(world.engine, { flow: source.slug, request: request(), context: { redirect_stage_target: '/static/url' } });
    expect(url.response).toMatchObject({ to: '/static/url' });
  });

  it('flow mode into a flow that does not apply, or a deleted target → access denied', async () => {
    const world = new World();
    const closed = world.flow({ slug: 'closed', authentication: 'require_superuser' });
    bindStage(world, closed, 0);
    const source = world.flow();
    bindStage(world, source, 0, { kind: REDIRECT_STAGE, config: { mode: 'flow', target_flow: closed.pk } });
    expect((await startRun(world.engine, { flow: source.slug, request: request() })).response).toMatchObject({
      component: 'ak-stage-access-denied',
      error_message: 'Unknown error',
    });
    world.ws.flows.delete(closed.pk);
    expect((await startRun(world.engine, { flow: source.slug, request: request() })).response).toMatchObject({
      component: 'ak-stage-access-denied',
      error_message: "No target found for Redirect stage. The stage's target_flow may have been deleted.",
    });
  });
});
