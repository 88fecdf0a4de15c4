import { describe, expect, it } from 'vitest';
import {
  FlowNotFoundError,
  get,
  type LivePlan,
  navigate,
  parseRunState,
  respond,
  restartRun,
  RunFinishedError,
  saveRunFlowToken,
  serializeRunState,
  startRun,
  type StepResult,
} from '../../../../src/main/engine/executor';
import { IMPLEMENTED_STAGE_KINDS, stageKindAvailability } from '../../../../src/main/engine/stages';
import { userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import {
  bindStage,
  DENY_STAGE,
  DUMMY_STAGE,
  eventTypes,
  expectStatus,
  PASSWORD_STAGE,
  scripted,
  USER_LOGIN_STAGE,
  USER_LOGOUT_STAGE,
} from './helpers';

const DUO_STAGE = 'authentik_stages_authenticator_duo.authenticatorduostage';

const REMEMBER = { remember_me_offset: 'days=30' };

describe('executor — challenges', () => {
  it('a challenge carries flow_info (title, background, cancel_url, layout) and the stage fields', async () => {
    const world = new World();
    const flow = world.flow({ title: 'Sign in', layout: 'sidebar_left' });
    bindStage(world, flow, 0, { name: 'hello' });
    const result = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(result.response).toEqual({
      flow_info: { title: 'Sign in', background: '/static/dist/assets/images/flow_background.jpg', cancel_url: '/flows/-/cancel/', layout: 'sidebar_left' },
      component: 'ak-stage-dummy',
      name: 'hello',
    });
    expect(result.state.stages_run).toEqual(['hello']);
    expect(result.state.initial_plan).toEqual(['hello']);
    // Bindings re-evaluate by default (authentik ≥ 2023 defaults): no policies → passing.
    expect(eventTypes(result)).toEqual(['request', 'plan', 'reevaluate', 'stage_entered', 'challenge']);
  });

  it('titles: %(app)s is the application name, %(user)s the pending user; a broken format keeps the raw title', async () => {
    const world = new World();
    const user = world.user({ username: 'alice' });
    const flow = world.flow({ title: 'Log in to %(app)s as %(user)s', background: 'https://img.example/bg.png' });
    bindStage(world, flow, 0);
    const result = await startRun(world.engine, {
      flow: flow.slug,
      request: request(),
      context: { application: { name: 'Grafana', slug: 'grafana' }, pending_user: userRef(user) },
    });
    expect(result.response).toMatchObject({ flow_info: { title: 'Log in to Grafana as alice', background: 'https://img.example/bg.png' } });

    const plain = world.flow({ title: '%(app)s' });
    bindStage(world, plain, 0);
    const noApp = await startRun(world.engine, { flow: plain.slug, request: request() });
    expect(noApp.response).toMatchObject({ flow_info: { title: '' } });

    for (const title of ['100% sure', '%(nope)s', 'width %(user)5s|']) {
      const broken = world.flow({ title });
      bindStage(world, broken, 0);
      const out = await startRun(world.engine, { flow: broken.slug, request: request() });
      const expected = title === 'width %(user)5s|' ? 'width AnonymousUser|' : title;
      expect(out.response).toMatchObject({ flow_info: { title: expected } });
    }
  });

  it('retry: an invalid response shows the same challenge with response_errors and is not a new stages_run entry', async () => {
    const world = new World();
    const user = world.user({ username: 'bob' });
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 'login', kind: USER_LOGIN_STAGE, config: REMEMBER });
    const first = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }),
      'challenge',
      'ak-stage-user-login',
    );
    expect(first.response).toMatchObject({ pending_user: 'bob', pending_user_avatar: '/static/dist/assets/images/user_default.png' });
    const missing = expectStatus(await respond(world.engine, first.state, { component: 'ak-stage-user-login' }), 'challenge', 'ak-stage-user-login');
    expect(missing.response?.response_errors).toEqual({ remember_me: [{ string: 'This field is required.', code: 'required' }] });
    const wrong = await respond(world.engine, missing.state, { remember_me: 'maybe' });
    expect(wrong.response?.response_errors).toEqual({ remember_me: [{ string: 'Must be a valid boolean.', code: 'invalid' }] });
    const notObject = await respond(world.engine, wrong.state, 'nope');
    expect(notObject.response?.response_errors).toEqual({
      non_field_errors: [{ string: 'Invalid data. Expected a dictionary, but got str.', code: 'invalid' }],
    });
    expect(notObject.state.stages_run).toEqual(['login']);
    const done = expectStatus(await respond(world.engine, notObject.state, { remember_me: 'true' }), 'completed');
    expect(done.state.session.user).toEqual({ $user: user.pk });
    expect(done.state.stages_run).toEqual(['login']);
  });

  it('restart on an invalid response: the flow is planned again (cache off) from the first stage', async () => {
    const world = new World();
    const user = world.user();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 'first' });
    bindStage(world, flow, 1, { name: 'login', kind: USER_LOGIN_STAGE, config: REMEMBER }, { invalid_response_action: 'restart' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) }, useCache: true });
    const second = expectStatus(await respond(world.engine, first.state, {}), 'challenge', 'ak-stage-user-login');
    const restarted = expectStatus(await respond(world.engine, second.state, {}), 'challenge', 'ak-stage-dummy');
    expect(restarted.response).toMatchObject({ name: 'first' });
    expect(restarted.response?.response_errors).toBeUndefined();
    expect(restarted.events.find((e) => e.type === 'plan')).toMatchObject({ reason: 'restart', cached: false });
    // restart (without context): the pending user is gone.
    expect(restarted.state.plan?.context).toEqual({});
    expect(restarted.state.stages_run).toEqual(['first', 'login', 'first']);
  });
});

describe('executor — stage_invalid and restarts (deny stage)', () => {
  function denyFlow(action: 'retry' | 'restart' | 'restart_with_context') {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 'first' });
    bindStage(world, flow, 1, { name: 'deny', kind: DENY_STAGE, config: { deny_message: 'Go away' } }, { invalid_response_action: action });
    return { world, flow };
  }

  it('retry: the deny stage ends the run with its message', async () => {
    const { world, flow } = denyFlow('retry');
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const result = expectStatus(await respond(world.engine, first.state, {}), 'denied', 'ak-stage-access-denied');
    expect(result.response).toMatchObject({ error_message: 'Go away', pending_user: '', flow_info: { title: 'Test flow' } });
    expect(result.state.outcome).toEqual({ result: 'denied', reason: 'stage_invalid', redirect: null, message: 'Go away', stage: 'deny' });
    expect(result.state.plan).toBeNull();
    expect(result.state.stages_run).toEqual(['first', 'deny']);
    await expect(get(world.engine, result.state)).rejects.toBeInstanceOf(RunFinishedError);
  });

  it('restart: the denial restarts the flow without its context', async () => {
    const { world, flow } = denyFlow('restart');
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { kept: 'yes' } });
    expect(first.state.plan?.context).toEqual({ kept: 'yes' });
    const result = expectStatus(await respond(world.engine, first.state, {}), 'challenge', 'ak-stage-dummy');
    expect(result.events.find((e) => e.type === 'stage_invalid')).toMatchObject({ action: 'restart', message: 'Go away' });
    expect(result.state.plan?.context).toEqual({});
    expect(result.state.stages_run).toEqual(['first', 'deny', 'first']);
  });

  it('restart_with_context: the denial restarts the flow keeping the context', async () => {
    const { world, flow } = denyFlow('restart_with_context');
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { kept: 'yes' } });
    const result = expectStatus(await respond(world.engine, first.state, {}), 'challenge', 'ak-stage-dummy');
    expect(result.events.find((e) => e.type === 'plan' && e.reason === 'restart_with_context')).toBeDefined();
    expect(result.state.plan?.context).toEqual({ kept: 'yes' });
  });

  it('a deny stage that restarts forever stops after 20 redirects with an error', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 'deny', kind: DENY_STAGE, config: {} }, { invalid_response_action: 'restart' });
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'error', 'ak-stage-flow-error');
    expect(String(result.response?.error)).toContain('stopped after 20 redirects');
    expect(result.state.outcome).toBeNull();
  });

  it('a restart into a flow that no longer applies follows denied_action (continue → root)', async () => {
    const flag = { pass: true };
    const world = new World({ expressions: scripted({ gate: () => ({ result: flag.pass, messages: flag.pass ? [] : ['closed'] }) }) });
    const flow = world.flow({ denied_action: 'continue' });
    world.pb(flow, { order: 0, policy: world.expression('gate').pk });
    bindStage(world, flow, 0, { name: 'first' });
    bindStage(world, flow, 1, { name: 'deny', kind: DENY_STAGE, config: {} }, { invalid_response_action: 'restart' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    flag.pass = false;
    const result = expectStatus(await respond(world.engine, first.state, {}), 'denied');
    expect(result.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(result.state.outcome).toMatchObject({ reason: 'not_applicable', redirect: '/' });
  });

  it('a restart into a flow that no longer applies with a message denied_action: authentik recurses → flow error', async () => {
    const flag = { pass: true };
    const world = new World({ expressions: scripted({ gate: () => ({ result: flag.pass, messages: ['closed'] }) }) });
    const flow = world.flow({ denied_action: 'message' });
    world.pb(flow, { order: 0, policy: world.expression('gate').pk });
    bindStage(world, flow, 0, { name: 'first' });
    bindStage(world, flow, 1, { name: 'deny', kind: DENY_STAGE, config: {} }, { invalid_response_action: 'restart' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    flag.pass = false;
    const result = expectStatus(await respond(world.engine, first.state, {}), 'error', 'ak-stage-flow-error');
    expect(result.events.find((e) => e.type === 'stage_error')).toMatchObject({ error: expect.stringContaining('recursion') });
  });
});

describe('executor — denied_action (flow not applicable)', () => {
  function closedFlow(deniedAction: 'message_continue' | 'message' | 'continue') {
    const world = new World({ expressions: scripted({ closed: () => ({ result: false, messages: ['closed', 'really'] }) }) });
    const flow = world.flow({ denied_action: deniedAction });
    world.pb(flow, { order: 0, policy: world.expression('closed').pk });
    bindStage(world, flow, 0);
    return { world, flow };
  }

  it('message_continue: a relative next on the executor request → redirect there; otherwise the messages', async () => {
    const { world, flow } = closedFlow('message_continue');
    const relative = await startRun(world.engine, { flow: flow.slug, request: request({ query: { next: '/app/' } }) });
    expect(expectStatus(relative, 'denied').response).toEqual({ component: 'xak-flow-redirect', to: '/app/' });
    const absolute = await startRun(world.engine, { flow: flow.slug, request: request({ query: { next: 'https://evil.example/' } }) });
    expect(expectStatus(absolute, 'denied', 'ak-stage-access-denied').response).toMatchObject({ error_message: 'closed\nreally' });
    // `next` inside `query` is not what denied_action reads.
    const inQuery = await startRun(world.engine, { flow: flow.slug, request: request(), query: { next: '/app/' } });
    expect(inQuery.response).toMatchObject({ component: 'ak-stage-access-denied' });
  });

  it('message: always the access-denied challenge', async () => {
    const { world, flow } = closedFlow('message');
    const result = await startRun(world.engine, { flow: flow.slug, request: request({ query: { next: '/app/' } }) });
    expect(expectStatus(result, 'denied', 'ak-stage-access-denied').response).toMatchObject({ error_message: 'closed\nreally' });
  });

  it('continue: a relative next, else the root', async () => {
    const { world, flow } = closedFlow('continue');
    expect((await startRun(world.engine, { flow: flow.slug, request: request({ query: { next: '/app/' } }) })).response).toEqual({
      component: 'xak-flow-redirect',
      to: '/app/',
    });
    expect((await startRun(world.engine, { flow: flow.slug, request: request({ query: { next: '//evil.example/x' } }) })).response).toEqual({
      component: 'xak-flow-redirect',
      to: '/',
    });
  });

  it('an authentication flow that does not apply to an already authenticated user completes', async () => {
    const world = new World();
    const user = world.user();
    const flow = world.flow({ designation: 'authentication', authentication: 'require_unauthenticated' });
    bindStage(world, flow, 0);
    const result = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: user }), query: { next: '/if/user/' } });
    expectStatus(result, 'completed');
    expect(result.response).toEqual({ component: 'xak-flow-redirect', to: '/if/user/' });
    expect(result.state.outcome).toMatchObject({ reason: 'already_authenticated' });
    // Not for other designations.
    const enrollment = world.flow({ designation: 'enrollment', authentication: 'require_unauthenticated' });
    const denied = await startRun(world.engine, { flow: enrollment.slug, request: request({ session_user: user }) });
    expect(denied.response).toMatchObject({ component: 'ak-stage-access-denied', error_message: 'Flow does not apply to current user.' });
  });
});

describe('executor — completion', () => {
  it('context.redirect wins, unchecked (absolute allowed)', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0);
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), query: { next: '/ignored' }, context: { redirect: 'https://app.example/cb' } });
    const done = expectStatus(await respond(world.engine, first.state, {}), 'completed');
    expect(done.response).toEqual({ component: 'xak-flow-redirect', to: 'https://app.example/cb' });
    expect(done.events.find((e) => e.type === 'flow_done')).toMatchObject({ via: 'context_redirect' });
  });

  it('a relative next from `query`; an absolute next is denied with "Invalid next URL"', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0);
    const relative = await startRun(world.engine, { flow: flow.slug, request: request(), query: { next: '/if/admin/#/x?y=1' } });
    expect((await respond(world.engine, relative.state, {})).response).toEqual({ component: 'xak-flow-redirect', to: '/if/admin/#/x?y=1' });
    for (const next of ['https://evil.example/', '//evil.example', '']) {
      const started = await startRun(world.engine, { flow: flow.slug, request: request(), query: { next } });
      const denied = expectStatus(await respond(world.engine, started.state, {}), 'denied', 'ak-stage-access-denied');
      expect(denied.response).toMatchObject({ error_message: 'Invalid next URL' });
      expect(denied.state.outcome).toMatchObject({ reason: 'invalid_next' });
    }
    // Schemes without a host are not absolute for authentik (urlparse netloc is empty).
    const odd = await startRun(world.engine, { flow: flow.slug, request: request(), query: { next: 'https:relative' } });
    expect((await respond(world.engine, odd.state, {})).response).toEqual({ component: 'xak-flow-redirect', to: 'https:relative' });
  });
});

describe('executor — flow_plan in re-evaluated policies', () => {
  it('flow_plan.redirect() from a failing re-evaluated policy makes the redirect the next stage', async () => {
    const world = new World({
      expressions: scripted({
        'redirect-away': (v) => {
          (v.context.flow_plan as LivePlan).redirect('/elsewhere');
          return { result: false };
        },
      }),
    });
    const flow = world.flow({ title: 'T' });
    bindStage(world, flow, 0, { name: 's1' });
    const s2 = bindStage(world, flow, 1, { name: 's2' }, { re_evaluate_policies: true });
    bindStage(world, flow, 2, { name: 's3' });
    world.pb(s2.binding, { order: 0, policy: world.expression('redirect-away').pk });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const redirected = expectStatus(await respond(world.engine, first.state, {}), 'redirect', 'xak-flow-redirect');
    expect(redirected.response).toEqual({ flow_info: expect.objectContaining({ title: 'T' }), component: 'xak-flow-redirect', to: '/elsewhere' });
    expect(redirected.state.stages_run).toEqual(['s1', 'Dynamic In-memory stage: Redirect to any URL']);
    expect(redirected.state.plan?.bindings).toHaveLength(2);
    expect(redirected.state.plan?.bindings[0]).toMatch(/^inmemory:/);
    // The browser has left: answering shows the same redirect again.
    const again = expectStatus(await respond(world.engine, redirected.state, {}), 'redirect');
    expect(again.response).toMatchObject({ to: '/elsewhere' });
  });

  it('writes to flow_plan.context persist; the policy runs with the pending user, cache off', async () => {
    const world = new World({
      expressions: scripted({
        mark: (v) => {
          const plan = v.context.flow_plan as LivePlan;
          plan.context.marked_by = v.request.user.username;
          return { result: true };
        },
      }),
    });
    const user = world.user({ username: 'carol' });
    const flow = world.flow();
    const s1 = bindStage(world, flow, 0, { name: 's1' }, { re_evaluate_policies: true });
    world.pb(s1.binding, { order: 0, policy: world.expression('mark').pk });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    expect(first.state.plan?.context.marked_by).toBe('carol');
    const trace = first.events.find((e) => e.type === 'reevaluate');
    expect(trace).toMatchObject({ passing: true, trace: { user: { username: 'carol' }, results: [{ cached: false }] } });
  });
});

describe('executor — run state', () => {
  it('serialize → parse → continue gives the same result as continuing in memory', async () => {
    const a = (() => {
      const world = new World({ seed: 7 });
      const user = world.user({ username: 'dave' });
      const flow = world.flow({ slug: 'round-trip' });
      bindStage(world, flow, 0, { name: 's1' });
      bindStage(world, flow, 1, { name: 'login', kind: USER_LOGIN_STAGE, config: REMEMBER });
      bindStage(world, flow, 2, { name: 's3' });
      return { world, user };
    })();
    // The same workspace, an independent engine with the same seed.
    const b = { world: new World({ seed: 7, snapshot: a.world.ws.snapshot() }), user: a.user };
    const start = { flow: 'round-trip', request: request(), query: { next: '/done' } };
    const a1 = await startRun(a.world.engine, { ...start, context: { pending_user: userRef(a.user) } });
    const b1 = await startRun(b.world.engine, { ...start, context: { pending_user: userRef(b.user) } });
    expect(b1.state).toEqual(a1.state);

    const a2 = await respond(a.world.engine, a1.state, {});
    const text = serializeRunState(b1.state);
    const b2 = await respond(b.world.engine, parseRunState(JSON.parse(text)), {});
    expect(b2.response).toEqual(a2.response);

    const a3 = await respond(a.world.engine, a2.state, { remember_me: false });
    const b3 = await respond(b.world.engine, parseRunState(JSON.parse(serializeRunState(b2.state))), { remember_me: false });
    const a4 = await respond(a.world.engine, a3.state, {});
    const b4 = await respond(b.world.engine, parseRunState(JSON.parse(serializeRunState(b3.state))), {});
    expect(b4.response).toEqual(a4.response);
    expect(b4.response).toEqual({ component: 'xak-flow-redirect', to: '/done' });
    expect(b4.state).toEqual(a4.state);
    expect(b4.state.stages_run).toEqual(['s1', 'login', 's3']);
  });

  it('parseRunState rejects what is not a version 1 run', () => {
    expect(() => parseRunState({ version: 2 })).toThrow();
    expect(() => parseRunState({})).toThrow();
  });

  it('unknown flows and finished runs are errors, not challenges', async () => {
    const world = new World();
    await expect(startRun(world.engine, { flow: 'nope', request: request() })).rejects.toBeInstanceOf(FlowNotFoundError);
    await expect(startRun(world.engine, { designation: 'recovery', request: request() })).rejects.toBeInstanceOf(FlowNotFoundError);
  });

  it('a designation picks the first applicable flow by slug', async () => {
    const world = new World({ expressions: scripted({ no: () => ({ result: false }) }) });
    const a = world.flow({ slug: 'a-auth', designation: 'authentication' });
    world.pb(a, { order: 0, policy: world.expression('no').pk });
    const b = world.flow({ slug: 'b-auth', designation: 'authentication' });
    bindStage(world, b, 0, { name: 'b-stage' });
    const result = await startRun(world.engine, { designation: 'authentication', request: request() });
    expect(result.state.flow_slug).toBe('b-auth');
    expect(result.events[0]).toMatchObject({ type: 'flow_selected', flow_slug: 'b-auth', via: 'designation' });
    expect(result.response).toMatchObject({ name: 'b-stage' });
  });

  it('restartRun abandons the plan and starts again with the initial context; stages_run keeps counting', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 's1' });
    bindStage(world, flow, 1, { name: 's2' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { k: 1 } });
    const second = await respond(world.engine, first.state, {});
    expect(second.response).toMatchObject({ name: 's2' });
    const again = await restartRun(world.engine, second.state);
    expect(again.response).toMatchObject({ name: 's1' });
    expect(again.state.plan?.context).toEqual({ k: 1 });
    expect(again.state.stages_run).toEqual(['s1', 's2', 's1']);
    expect(again.state.history).toEqual([]);
  });
});

describe('executor — stages Flowbench cannot run yet', () => {
  it('an unimplemented stage kind is access denied with a clear message, even with a restart action', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(
      world,
      flow,
      0,
      { name: 'duo', kind: DUO_STAGE, config: { api_hostname: 'api-x.duosecurity.com', client_id: 'id', client_secret: 'secret' } },
      { invalid_response_action: 'restart' },
    );
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'denied', 'ak-stage-access-denied');
    expect(result.response).toMatchObject({ error_message: 'Stage authenticator_duo is not available in Flowbench yet' });
    expect(result.state.outcome).toEqual({
      result: 'denied',
      reason: 'stage_unavailable',
      redirect: null,
      message: 'Stage authenticator_duo is not available in Flowbench yet',
      stage: 'duo',
    });
    expect(result.state.stages_run).toEqual(['duo']);
    expect(result.events.find((e) => e.type === 'stage_unavailable')).toMatchObject({ kind: DUO_STAGE });
  });

  it('the registry lists which kinds are implemented', () => {
    // Other kinds join the list as they are implemented; these are in it, and Duo (which
    // needs Duo's cloud) never is.
    expect([...IMPLEMENTED_STAGE_KINDS]).toEqual(
      expect.arrayContaining([
        'authentik_stages_deny.denystage',
        'authentik_stages_dummy.dummystage',
        'authentik_stages_redirect.redirectstage',
        'authentik_stages_user_delete.userdeletestage',
        'authentik_stages_user_login.userloginstage',
        'authentik_stages_user_logout.userlogoutstage',
        'authentik_stages_identification.identificationstage',
        'authentik_stages_password.passwordstage',
        'authentik_stages_user_write.userwritestage',
        'authentik_stages_prompt.promptstage',
        'authentik_stages_consent.consentstage',
        'authentik_stages_email.emailstage',
        'authentik_stages_captcha.captchastage',
        'authentik_stages_invitation.invitationstage',
        'authentik_stages_authenticator_validate.authenticatorvalidatestage',
        'authentik_stages_authenticator_totp.authenticatortotpstage',
        'authentik_stages_authenticator_static.authenticatorstaticstage',
        'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage',
      ]),
    );
    expect(IMPLEMENTED_STAGE_KINDS).not.toContain('authentik_stages_authenticator_duo.authenticatorduostage');
    const availability = stageKindAvailability();
    expect(availability.find((k) => k.model === PASSWORD_STAGE)).toEqual({ model: PASSWORD_STAGE, label: 'Password Stage', implemented: true });
    expect(availability.find((k) => k.model === DUO_STAGE)?.implemented).toBe(false);
    expect(availability.find((k) => k.model === DUMMY_STAGE)?.implemented).toBe(true);
  });
});

describe('executor — flow tokens', () => {
  it('a saved plan is restored from ?flow_token=: current session context wins, is_restored set, token revoked', async () => {
    const world = new World();
    const user = world.user({ username: 'erin' });
    const flow = world.flow({ slug: 'recovery', designation: 'recovery' });
    bindStage(world, flow, 0, { name: 's1' });
    bindStage(world, flow, 1, { name: 's2' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user), origin: 'token' } });
    const atS2 = await respond(world.engine, first.state, {});
    const key = saveRunFlowToken(world.engine, atS2.state, { userPk: user.pk, expiresInSeconds: 1800 });
    // The session moves on (its context changes), then the link is opened in the same session.
    const cont: StepResult = { ...atS2, state: { ...atS2.state, plan: { ...atS2.state.plan!, context: { ...atS2.state.plan!.context, origin: 'session' } } } };
    const restored = expectStatus(await navigate(world.engine, cont.state, { flow: 'recovery', query: { flow_token: key } }), 'challenge', 'ak-stage-dummy');
    expect(restored.response).toMatchObject({ name: 's2' });
    expect(restored.state.plan?.context).toMatchObject({ origin: 'session', is_restored: { $flow_token: key, user: { $user: user.pk } } });
    expect(restored.events.find((e) => e.type === 'flow_token')).toMatchObject({ restored: true });
    expect(world.engine.flowTokens.get(key)).toBeNull();
    expect(restored.state.stages_run).toEqual(['s1', 's2', 's2']);
    // A second use finds nothing: the session plan simply continues.
    const reused = await get(world.engine, restored.state);
    expect(reused.events.find((e) => e.type === 'flow_token')).toMatchObject({ restored: false });
  });

  it('an expired token is ignored', async () => {
    const world = new World();
    const flow = world.flow({ slug: 'f' });
    bindStage(world, flow, 0);
    const first = await startRun(world.engine, { flow: 'f', request: request() });
    const key = saveRunFlowToken(world.engine, first.state, { expiresInSeconds: 60 });
    await world.engine.clock.advance(61_000);
    const result = await navigate(world.engine, { ...first.state, plan: null }, { flow: 'f', query: { flow_token: key } });
    expect(result.events.find((e) => e.type === 'flow_token')).toMatchObject({ restored: false });
    expect(result.events.some((e) => e.type === 'plan')).toBe(true);
  });
});

describe('executor — errors inside stages', () => {
  it('dummy throw_error → ak-stage-flow-error; details only for superusers; no system_exception event', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: DUMMY_STAGE, config: { throw_error: true } });
    const anonymous = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'error', 'ak-stage-flow-error');
    expect(Object.keys(anonymous.response ?? {}).sort()).toEqual(['component', 'request_id']);
    expect(anonymous.state.plan).not.toBeNull();
    expect(world.engine.events.query({ action: 'system_exception' })).toEqual([]);
    const admins = world.group({ is_superuser: true });
    const admin = world.user({ groups: [admins.pk] });
    const detailed = await startRun(world.engine, { flow: flow.slug, request: request({ session_user: admin }) });
    expect(detailed.response).toMatchObject({ component: 'ak-stage-flow-error', error: 'Test error' });
    const debugGroup = world.group({ name: 'zz', attributes: { 'goauthentik.io/user/debug': true } });
    const debugUser = world.user({ groups: [debugGroup.pk] });
    expect((await startRun(world.engine, { flow: flow.slug, request: request({ session_user: debugUser }) })).response).toMatchObject({ error: 'Test error' });
  });

  it('other stage errors record a system_exception event', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: USER_LOGIN_STAGE, config: {} });
    // A placeholder pending user cannot be logged in (Django's login() would fail to save it).
    const result = await startRun(world.engine, {
      flow: flow.slug,
      request: request(),
      context: { pending_user: { $user: 'placeholder', data: { username: 'ghost' } } },
    });
    expectStatus(result, 'error', 'ak-stage-flow-error');
    expect(world.engine.events.query({ action: 'system_exception' })).toHaveLength(1);
  });

  it('a plan that refers to a deleted binding: plan cache flushed, access denied', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 's1' });
    const s2 = bindStage(world, flow, 1, { name: 's2' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), useCache: true });
    expect(world.engine.cache.keys('goauthentik.io/flows/planner/')).toHaveLength(1);
    world.ws.flowStageBindingsByPk.delete(s2.binding.pk);
    const result = expectStatus(await respond(world.engine, first.state, {}), 'denied', 'ak-stage-access-denied');
    expect(result.response).toMatchObject({ error_message: 'Unknown error' });
    expect(result.events.find((e) => e.type === 'plan_error')).toBeDefined();
    expect(world.engine.cache.keys('goauthentik.io/flows/planner/')).toEqual([]);
  });
});

describe('executor — session flush quirks (Django logout/login)', () => {
  it('a logout as the last stage loses `next` (the session is flushed); earlier it does not', async () => {
    const world = new World();
    const user = world.user();
    const last = world.flow({ designation: 'invalidation' });
    bindStage(world, last, 0, { kind: USER_LOGOUT_STAGE, config: {} });
    const lastResult = await startRun(world.engine, { flow: last.slug, request: request({ session_user: user }), query: { next: '/after' } });
    expect(lastResult.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(lastResult.state.session.user).toBeNull();

    const notLast = world.flow({ designation: 'invalidation' });
    bindStage(world, notLast, 0, { kind: USER_LOGOUT_STAGE, config: {} });
    bindStage(world, notLast, 1, { name: 'after-logout' });
    const first = await startRun(world.engine, { flow: notLast.slug, request: request({ session_user: user }), query: { next: '/after' } });
    expect(first.response).toMatchObject({ name: 'after-logout', flow_info: { title: 'Test flow' } });
    expect((await respond(world.engine, first.state, {})).response).toEqual({ component: 'xak-flow-redirect', to: '/after' });
  });
});
