import { describe, expect, it } from 'vitest';
import { respond, restartRun, startRun } from '../../../../src/main/engine/executor';
import { userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import { bindStage, expectStatus } from '../executor/helpers';
import { CONSENT_STAGE, lastContext } from './helpers';

const APP = { pk: 'app-1', slug: 'grafana', name: 'Grafana' };
const OPENID = { id: 'openid', name: 'OpenID' };
const PROFILE = { id: 'profile', name: 'Your profile' };

function consentWorld(mode: 'always_require' | 'permanent' | 'expiring', extra: Record<string, unknown> = {}) {
  const world = new World();
  const user = world.user({ username: 'carol' });
  const flow = world.flow({ designation: 'authorization', title: 'Authorize %(app)s' });
  bindStage(world, flow, 0, { name: 'consent', kind: CONSENT_STAGE, config: { mode, ...extra } });
  return { world, user, flow };
}

describe('consent stage', () => {
  it('challenge: ak-stage-consent with user info, permissions, header_text and a session-bound token', async () => {
    const { world, user, flow } = consentWorld('always_require');
    const first = expectStatus(
      await startRun(world.engine, {
        flow: flow.slug,
        request: request({ session_user: user }),
        context: { application: APP, consent_header: 'Grafana wants to know who you are', consent_permissions: [OPENID], consent_additional_permissions: [PROFILE] },
      }),
      'challenge',
      'ak-stage-consent',
    );
    expect(first.response).toMatchObject({
      flow_info: { title: 'Authorize Grafana' },
      pending_user: 'carol',
      header_text: 'Grafana wants to know who you are',
      permissions: [OPENID],
      additional_permissions: [PROFILE],
    });
    const token = first.response?.token as string;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.state.session.data['authentik/stages/consent/token']).toBe(token);
  });

  it('no header_text without consent_header; empty permission lists by default', async () => {
    const { world, user, flow } = consentWorld('always_require');
    const first = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }) });
    expect(first.response).not.toHaveProperty('header_text');
    expect(first.response).toMatchObject({ permissions: [], additional_permissions: [] });
  });

  it('response: token required; a wrong token re-shows the prompt with a new token; the right one passes', async () => {
    const { world, user, flow } = consentWorld('always_require');
    const first = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }), context: { application: APP } });
    const missing = await respond(world.engine, first.state, {});
    expect(missing.response?.response_errors).toEqual({ token: [{ string: 'This field is required.', code: 'required' }] });
    const wrong = expectStatus(await respond(world.engine, missing.state, { token: 'not-the-token' }), 'challenge', 'ak-stage-consent');
    expect(wrong.response?.response_errors).toBeUndefined();
    expect(wrong.response?.token).not.toBe(first.response?.token);
    expect(wrong.events.some((e) => e.type === 'log' && e.message === 'Invalid consent token, re-showing prompt')).toBe(true);
    expectStatus(await respond(world.engine, wrong.state, { token: wrong.response?.token }), 'completed');
    // always_require never stores anything.
    expect(world.engine.consents.list()).toEqual([]);
  });

  it('permanent: stored for (user, application) and skipped next time; new permissions are asked for separately', async () => {
    const { world, user, flow } = consentWorld('permanent');
    const run = (permissions: unknown[]) =>
      startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }), context: { application: APP, consent_permissions: permissions as never } });
    const first = await run([OPENID]);
    const done = expectStatus(await respond(world.engine, first.state, { token: first.response?.token }), 'completed');
    expect(world.engine.consents.list()).toEqual([
      { pk: expect.any(String), user_pk: user.pk, application: 'app-1', permissions: 'openid', expiring: false, expires: null },
    ]);
    expect(lastContext(done.state).consent).toMatchObject({ $consent: expect.any(String), user: { $user: user.pk }, permissions: 'openid', expiring: false });

    const again = expectStatus(await run([OPENID]), 'completed');
    expect(again.state.stages_run).toEqual(['consent']);
    expect(again.events.some((e) => e.type === 'challenge')).toBe(false);

    const more = expectStatus(await run([OPENID, PROFILE]), 'challenge', 'ak-stage-consent');
    expect(more.response).toMatchObject({ permissions: [OPENID], additional_permissions: [PROFILE] });
    await respond(world.engine, more.state, { token: more.response?.token });
    expect(world.engine.consents.list()).toHaveLength(1);
    expect(world.engine.consents.list()[0]?.permissions).toBe('openid profile');
    expectStatus(await run([OPENID, PROFILE]), 'completed');
  });

  it('the pending user is looked up; another user or another application is asked again', async () => {
    const { world, user, flow } = consentWorld('permanent');
    const other = world.user({ username: 'dave' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }), context: { application: APP } });
    await respond(world.engine, first.state, { token: first.response?.token });
    const asOther = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: other }), context: { application: APP } });
    expectStatus(asOther, 'challenge', 'ak-stage-consent');
    const pendingIsCarol = await startRun(world.engine, {
      flow: flow.slug,
      request: request({ session_user: other }),
      context: { application: APP, pending_user: userRef(user) },
    });
    expectStatus(pendingIsCarol, 'completed');
    const otherApp = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }), context: { application: { ...APP, pk: 'app-2' } } });
    expectStatus(otherApp, 'challenge', 'ak-stage-consent');
  });

  it('expiring: valid for consent_expire_in, asked again afterwards', async () => {
    const { world, user, flow } = consentWorld('expiring', { consent_expire_in: 'hours=1' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }), context: { application: APP } });
    await respond(world.engine, first.state, { token: first.response?.token });
    expect(world.engine.consents.list()[0]).toMatchObject({ expiring: true, expires: '2025-01-01T01:00:00.000Z' });
    world.engine.clock.set('2025-01-01T00:59:00Z');
    expectStatus(await restartRun(world.engine, first.state), 'completed');
    world.engine.clock.set('2025-01-01T01:00:00Z');
    const later = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }), context: { application: APP } }),
      'challenge',
      'ak-stage-consent',
    );
    await respond(world.engine, later.state, { token: later.response?.token });
    // A new consent (the expired one is only ever filtered out, as authentik's filter_not_expired does).
    expect(world.engine.consents.list()).toEqual([
      expect.objectContaining({ expires: '2025-01-01T01:00:00.000Z' }),
      expect.objectContaining({ expires: '2025-01-01T02:00:00.000Z' }),
    ]);
  });

  it('without an application (or injected in-memory) it always prompts and stores nothing', async () => {
    const { world, user, flow } = consentWorld('permanent');
    const first = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }) });
    expectStatus(await respond(world.engine, first.state, { token: first.response?.token }), 'completed');
    expectStatus(await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }) }), 'challenge', 'ak-stage-consent');
    expect(world.engine.consents.list()).toEqual([]);
  });

  it('authentik stores the consent for the request user: anonymous → flow error, nothing stored', async () => {
    const { world, user, flow } = consentWorld('permanent');
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { application: APP, pending_user: userRef(user) } });
    const result = expectStatus(await respond(world.engine, first.state, { token: first.response?.token }), 'error', 'ak-stage-flow-error');
    expect(result.events.find((e) => e.type === 'stage_error')).toMatchObject({ error: expect.stringContaining('anonymous') });
    expect(world.engine.consents.list()).toEqual([]);
  });
});
