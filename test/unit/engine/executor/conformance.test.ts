import { describe, expect, it } from 'vitest';
import {
  get,
  navigate,
  respond,
  startRun,
  type StepResult,
} from '../../../../src/main/engine/executor';
import { REPUTATION, request, World } from '../fixtures';
import { bindStage, DENY_STAGE, expectStatus, IDENTIFICATION_STAGE, scripted } from './helpers';

/** A policy that passes while `flag.pass` is true: "passes at plan time, fails at run time". */
function toggledWorld() {
  const flag = { pass: true };
  const world = new World({ expressions: scripted({ toggle: () => ({ result: flag.pass }) }) });
  const policy = world.expression('toggle');
  return { world, flag, policy };
}

describe('executor — conformance (spec §9.2)', () => {
  it('E1: a session plan for another flow is cancelled and the requested flow is planned', async () => {
    const world = new World();
    const other = world.flow({ slug: 'other' });
    bindStage(world, other, 0);
    const empty = world.flow({ slug: 'empty', designation: 'authentication' });
    const first = expectStatus(await startRun(world.engine, { flow: other.slug, request: request() }), 'challenge', 'ak-stage-dummy');
    expect(first.state.plan?.flow_pk).toBe(other.pk);

    const result = await navigate(world.engine, first.state, { flow: empty.slug });
    expect(result.events.filter((e) => e.type === 'plan_discarded')).toEqual([expect.objectContaining({ flow_pk: other.pk })]);
    // Once for the foreign plan, once when the (empty) flow completes.
    expect(result.events.filter((e) => e.type === 'cancel')).toHaveLength(2);
    expectStatus(result, 'completed', 'xak-flow-redirect');
    expect(result.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
  });

  it('E2: flow-level policies fail with "foo", denied_action default → access denied "foo"', async () => {
    const world = new World({ expressions: scripted({ foo: () => ({ result: false, messages: ['foo'] }) }) });
    const flow = world.flow();
    world.pb(flow, { order: 0, policy: world.expression('foo').pk });
    bindStage(world, flow, 0);
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'denied', 'ak-stage-access-denied');
    expect(result.response).toMatchObject({ error_message: 'foo', pending_user: '', flow_info: { title: 'Test flow' } });
    expect(result.state.outcome).toEqual({ result: 'denied', reason: 'not_applicable', redirect: null, message: 'foo', stage: null });
  });

  it('E3: the same with denied_action=continue → redirect to the root', async () => {
    const world = new World({ expressions: scripted({ foo: () => ({ result: false, messages: ['foo'] }) }) });
    const flow = world.flow({ denied_action: 'continue' });
    world.pb(flow, { order: 0, policy: world.expression('foo').pk });
    bindStage(world, flow, 0);
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'denied');
    expect(result.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(result.state.outcome).toMatchObject({ result: 'denied', reason: 'not_applicable', redirect: '/' });
  });

  it('E4: an empty flow with ?next= on the executor URL itself (not in `query`) → the root', async () => {
    const world = new World();
    const flow = world.flow({ designation: 'authentication' });
    const result = await startRun(world.engine, { flow: flow.slug, request: request({ query: { next: '/unique-string' } }) });
    expectStatus(result, 'completed');
    expect(result.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    // Only `next` inside `query` counts.
    const honoured = await startRun(world.engine, { flow: flow.slug, request: request(), query: { next: '/unique-string' } });
    expect(honoured.response).toEqual({ component: 'xak-flow-redirect', to: '/unique-string' });
  });

  it('E5: an empty flow completes at once → redirect to the root, no error', async () => {
    const world = new World();
    const flow = world.flow();
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'completed');
    expect(result.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(result.state.outcome).toEqual({ result: 'completed', reason: 'flow_done', redirect: '/', message: null, stage: null });
    expect(result.state.plan).toBeNull();
    expect(result.events.some((e) => e.type === 'plan' && e.outcome === 'empty')).toBe(true);
  });

  it('E6: two dummy stages — GET shows the first with 2 bindings planned; POST → 302 with 1 left', async () => {
    const world = new World();
    const flow = world.flow();
    const s1 = bindStage(world, flow, 0, { name: 'dummy-1' });
    const s2 = bindStage(world, flow, 1, { name: 'dummy-2' });
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-dummy');
    expect(first.response).toMatchObject({ name: 'dummy-1' });
    expect(first.state.plan?.bindings).toEqual([s1.binding.pk, s2.binding.pk]);
    const posted = await respond(world.engine, first.state, { component: 'ak-stage-dummy' }, { follow: false });
    expectStatus(posted, 'continue');
    expect(posted.response).toBeNull();
    expect(posted.state.plan?.bindings).toEqual([s2.binding.pk]);
    expect(posted.state.history).toHaveLength(1);
    expect(posted.state.history[0]?.bindings).toEqual([s1.binding.pk, s2.binding.pk]);
    const next = expectStatus(await get(world.engine, posted.state), 'challenge', 'ak-stage-dummy');
    expect(next.response).toMatchObject({ name: 'dummy-2' });
  });

  it('E7: re-evaluation removes the last stage → the flow completes', async () => {
    const { world, flag, policy } = toggledWorld();
    const flow = world.flow();
    const s1 = bindStage(world, flow, 0, { name: 's1' }, { re_evaluate_policies: false });
    const s2 = bindStage(world, flow, 1, { name: 's2' }, { evaluate_on_plan: true, re_evaluate_policies: true });
    world.pb(s2.binding, { order: 0, policy: policy.pk });
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge');
    expect(first.state.plan?.bindings).toEqual([s1.binding.pk, s2.binding.pk]);
    expect(first.state.plan?.markers).toEqual(['plain', 'reevaluate']);
    const second = expectStatus(await respond(world.engine, first.state, {}, { follow: false }), 'continue');
    flag.pass = false;
    const third = expectStatus(await respond(world.engine, second.state, {}), 'completed');
    expect(third.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(third.events.find((e) => e.type === 'reevaluate')).toMatchObject({ passing: false, binding: { pk: s2.binding.pk } });
    expect(third.state.stages_run).toEqual(['s1']);
    expect(third.state.initial_plan).toEqual(['s1', 's2']);
  });

  it('E8: re-evaluation removes the middle stage → the next POST completes stage 3', async () => {
    const { world, flag, policy } = toggledWorld();
    const flow = world.flow();
    const s1 = bindStage(world, flow, 0, { name: 's1' }, { re_evaluate_policies: false });
    const s2 = bindStage(world, flow, 1, { name: 's2' }, { evaluate_on_plan: true, re_evaluate_policies: true });
    const s3 = bindStage(world, flow, 2, { name: 's3' }, { re_evaluate_policies: false });
    world.pb(s2.binding, { order: 0, policy: policy.pk });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(first.state.plan?.bindings).toEqual([s1.binding.pk, s2.binding.pk, s3.binding.pk]);
    expect(first.state.plan?.markers).toEqual(['plain', 'reevaluate', 'plain']);
    const second = expectStatus(await respond(world.engine, first.state, {}, { follow: false }), 'continue');
    expect(second.state.plan?.bindings).toEqual([s2.binding.pk, s3.binding.pk]);
    flag.pass = false;
    const third = expectStatus(await respond(world.engine, second.state, {}), 'completed', 'xak-flow-redirect');
    expect(third.response).toMatchObject({ to: '/' });
    expect(third.state.stages_run).toEqual(['s1', 's3']);
  });

  it('E9: re-evaluation keeps the middle stage → [s2, s3] → [s3] → completed', async () => {
    const { world, policy } = toggledWorld();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 's1' }, { re_evaluate_policies: false });
    const s2 = bindStage(world, flow, 1, { name: 's2' }, { evaluate_on_plan: true, re_evaluate_policies: true });
    const s3 = bindStage(world, flow, 2, { name: 's3' }, { re_evaluate_policies: false });
    world.pb(s2.binding, { order: 0, policy: policy.pk });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const second = await respond(world.engine, first.state, {}, { follow: false });
    expect(second.state.plan?.bindings).toEqual([s2.binding.pk, s3.binding.pk]);
    const third = expectStatus(await respond(world.engine, second.state, {}, { follow: false }), 'continue');
    expect(third.state.plan?.bindings).toEqual([s3.binding.pk]);
    expect(third.state.plan?.markers).toEqual(['plain']);
    const last = expectStatus(await respond(world.engine, third.state, {}), 'completed');
    expect(last.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(last.state.stages_run).toEqual(['s1', 's2', 's3']);
  });

  it('E10: two consecutive re-evaluated stages both fail → after stage 1 the GET shows stage 4', async () => {
    const { world, flag, policy } = toggledWorld();
    const flow = world.flow();
    bindStage(world, flow, 0, { name: 's1' }, { re_evaluate_policies: false });
    const s2 = bindStage(world, flow, 1, { name: 's2' }, { evaluate_on_plan: true, re_evaluate_policies: true });
    const s3 = bindStage(world, flow, 2, { name: 's3' }, { evaluate_on_plan: true, re_evaluate_policies: true });
    const s4 = bindStage(world, flow, 3, { name: 's4' }, { re_evaluate_policies: false });
    world.pb(s2.binding, { order: 0, policy: policy.pk });
    world.pb(s3.binding, { order: 0, policy: policy.pk });
    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-dummy');
    expect(first.state.plan?.markers).toEqual(['plain', 'reevaluate', 'reevaluate', 'plain']);
    flag.pass = false;
    const second = expectStatus(await respond(world.engine, first.state, {}, { follow: false }), 'continue');
    const third = expectStatus(await get(world.engine, second.state), 'challenge', 'ak-stage-dummy');
    expect(third.response).toMatchObject({ name: 's4' });
    expect(third.events.filter((e) => e.type === 'stage_skipped').map((e) => (e.type === 'stage_skipped' ? e.binding.pk : null))).toEqual([
      s2.binding.pk,
      s3.binding.pk,
    ]);
    expect(third.state.plan?.bindings).toEqual([s4.binding.pk]);
    const last = expectStatus(await respond(world.engine, third.state, {}), 'completed');
    expect(last.response).toEqual({ component: 'xak-flow-redirect', to: '/' });
    expect(last.state.stages_run).toEqual(['s1', 's4']);
  });

  it('E11: a default context pending_user_identifier is the display pending user', async () => {
    const world = new World();
    const flow = world.flow({ title: 'Welcome, %(user)s' });
    bindStage(world, flow, 0);
    bindStage(world, flow, 1, { kind: DENY_STAGE, config: {} });
    const sessionUser = world.user({ username: 'test-user' });
    const first = await startRun(world.engine, {
      flow: flow.slug,
      request: request({ session_user: sessionUser }),
      context: { pending_user_identifier: 'test-identifier' },
    });
    expect(first.response).toMatchObject({ flow_info: { title: 'Welcome, test-identifier' } });
    const denied = expectStatus(await respond(world.engine, first.state, {}), 'denied', 'ak-stage-access-denied');
    expect(denied.response).toMatchObject({ pending_user: 'test-identifier', error_message: 'Unknown error' });
  });

  it('E12: restart with context — an unknown identifier lowers the reputation, the restarted plan reaches the deny stage', async () => {
    const world = new World();
    const flow = world.flow({ designation: 'authentication' });
    const deny = bindStage(world, flow, 0, { name: 'deny', kind: DENY_STAGE, config: {} }, { evaluate_on_plan: false, re_evaluate_policies: true });
    const reputation = world.policy(REPUTATION, { threshold: -1, check_ip: false });
    world.pb(deny.binding, { order: 0, policy: reputation.pk });
    bindStage(
      world,
      flow,
      1,
      { name: 'ident', kind: IDENTIFICATION_STAGE, config: { user_fields: ['email'], pretend_user_exists: false } },
      { invalid_response_action: 'restart_with_context' },
    );

    const first = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-identification');
    expect(first.response).toMatchObject({ password_fields: false, primary_action: 'Log in', sources: [], show_source_labels: false, user_fields: ['email'] });
    expect(first.events.find((e) => e.type === 'reevaluate')).toMatchObject({ passing: false });

    const result: StepResult = await respond(world.engine, first.state, { uid_field: 'invalid-string' });
    expectStatus(result, 'denied', 'ak-stage-access-denied');
    expect(world.engine.reputation.score({ identifier: 'invalid-string' })).toBe(-1);
    expect(result.events.find((e) => e.type === 'restart')).toMatchObject({ keep_context: true });
    expect(result.events.find((e) => e.type === 'plan' && e.reason === 'restart_with_context')).toBeDefined();
    const reevaluations = result.events.filter((e) => e.type === 'reevaluate');
    expect(reevaluations.at(-1)).toMatchObject({ passing: true, trace: { user: { username: 'invalid-string' } } });
    expect(result.state.outcome).toMatchObject({ result: 'denied', reason: 'stage_invalid', stage: 'deny' });
    expect(result.state.stages_run).toEqual(['ident', 'deny']);
  });
});
