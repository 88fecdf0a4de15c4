import { describe, expect, it } from 'vitest';
import { ScriptedExpressionRuntime } from '../../../src/main/engine/memory';
import {
  clearPlanCache,
  EMPTY_FLOW_MESSAGE,
  FLOW_NOT_APPLICABLE_MESSAGE,
  parsePlan,
  PLAN_CACHE_PREFIX,
  planCacheKey,
  planFlow,
  PlannerError,
  POLICY_CACHE_PREFIX,
  PREVIEW_PLAN_OPTIONS,
  selectFlowForDesignation,
  type ExpressionVariables,
  type Plan,
  type PlanResult,
} from '../../../src/main/engine';
import { anonymousUser, userRef } from '../../../src/main/engine/users';
import { request, World } from './fixtures';

function expectOk(result: PlanResult): Extract<PlanResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a plan, got ${result.reason}: ${result.messages.join(' / ')}`);
  return result;
}

describe('planner — conformance (spec §9.1)', () => {
  it('P1: a flow without stage bindings, anonymous → EmptyFlow', async () => {
    const world = new World();
    const flow = world.flow();
    const result = await planFlow(world.engine, { flow, request: request() });
    expect(result).toMatchObject({ ok: false, reason: 'empty', messages: [EMPTY_FLOW_MESSAGE] });
  });

  it('P2: authentication=none, anonymous, empty flows allowed → plan', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'none' });
    const result = expectOk(await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true }));
    expect(result.plan.bindings).toEqual([]);
  });

  it('P3: require_authenticated + anonymous → FlowNonApplicable with the generic message', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'require_authenticated' });
    const result = await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true });
    expect(result).toEqual({
      ok: false,
      reason: 'not_applicable',
      messages: [FLOW_NOT_APPLICABLE_MESSAGE],
      traces: [],
      failed_requirement: 'require_authenticated',
    });
    const user = world.user();
    expectOk(await planFlow(world.engine, { flow, request: request({ session_user: user }), allowEmptyFlows: true }));
  });

  it('P4: require_superuser — anonymous fails; a superuser (through a parent group) plans', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'require_superuser' });
    expect(await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true })).toMatchObject({
      ok: false,
      failed_requirement: 'require_superuser',
    });
    const plain = world.user();
    expect(await planFlow(world.engine, { flow, request: request({ session_user: plain }), allowEmptyFlows: true })).toMatchObject({ ok: false });
    const admins = world.group({ name: 'authentik Admins', is_superuser: true });
    const nested = world.group({ name: 'ops', parent: admins.pk });
    const admin = world.user({ groups: [nested.pk] });
    expect(admin.is_superuser).toBe(true);
    expectOk(await planFlow(world.engine, { flow, request: request({ session_user: admin }), allowEmptyFlows: true }));
  });

  it('P5: require_redirect — without is_redirected fails; with it plans', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'require_redirect' });
    const other = world.flow();
    expect(await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true })).toMatchObject({
      ok: false,
      failed_requirement: 'require_redirect',
    });
    expect(await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true, context: { is_redirected: null } })).toMatchObject({ ok: false });
    expectOk(await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true, context: { is_redirected: { $flow: other.pk } } }));
  });

  it('P6: require_outpost — an ordinary request fails; an outpost request plans and gets context.outpost', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'require_outpost' });
    expect(await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true })).toMatchObject({
      ok: false,
      failed_requirement: 'require_outpost',
    });
    const result = expectOk(await planFlow(world.engine, { flow, request: request({ outpost: true, outpost_name: 'proxy' }), allowEmptyFlows: true }));
    expect(result.plan.context.outpost).toEqual({ instance: { name: 'proxy' } });
  });

  it('P7: a failing flow-level policy → FlowNonApplicable carrying its messages', async () => {
    const world = new World();
    const flow = world.flow();
    world.bind(flow, { order: 0 });
    world.pb(flow, { order: 0, policy: world.dummy(false).pk });
    const result = await planFlow(world.engine, { flow, request: request() });
    expect(result).toMatchObject({ ok: false, reason: 'not_applicable', messages: ['dummy'] });
    expect(result.ok ? null : result.failed_requirement).toBeUndefined();
    expect(result.traces).toHaveLength(1);
    expect(result.traces[0]).toMatchObject({ target: { kind: 'flow', pk: flow.pk }, passing: false });
  });

  it('P7 (variant): a failing flow policy without messages → the generic message', async () => {
    const world = new World();
    const flow = world.flow();
    world.bind(flow, { order: 0 });
    world.pb(flow, { order: 0, group: world.group().pk });
    const result = await planFlow(world.engine, { flow, request: request({ session_user: world.user() }) });
    expect(result).toMatchObject({ ok: false, reason: 'not_applicable', messages: [FLOW_NOT_APPLICABLE_MESSAGE] });
  });

  it('P8: planning the same (flow, user) twice writes the plan cache once and reads it on both calls', async () => {
    const world = new World();
    const flow = world.flow({ designation: 'authentication' });
    world.bind(flow, { order: 0 });
    const cache = world.engine.cache;
    const first = expectOk(await planFlow(world.engine, { flow, request: request() }));
    expect(first.cached).toBe(false);
    const second = expectOk(await planFlow(world.engine, { flow, request: request() }));
    expect(second.cached).toBe(true);
    expect(second.plan).toEqual(first.plan);
    expect(cache.stats.sets).toBe(1);
    expect(cache.stats.gets).toBe(2);
    expect(cache.keys(PLAN_CACHE_PREFIX)).toEqual([`${PLAN_CACHE_PREFIX}${flow.pk}#None`]);
  });

  it('P9: a default context with pending_user = U keys the cache by U', async () => {
    const world = new World();
    const flow = world.flow();
    world.bind(flow, { order: 0 });
    const user = world.user();
    expectOk(await planFlow(world.engine, { flow, request: request({ session_user: user }), context: { pending_user: userRef(user) } }));
    expect(world.engine.cache.get(planCacheKey(flow, user))).toBeDefined();
    expect(planCacheKey(flow, user)).toBe(`goauthentik.io/flows/planner/${flow.pk}#${user.pk}`);
  });

  it('P10: a single binding with re_evaluate_policies=true gets a reevaluate marker', async () => {
    const world = new World();
    const flow = world.flow();
    const binding = world.bind(flow, { order: 0, re_evaluate_policies: true });
    const { plan } = expectOk(await planFlow(world.engine, { flow, request: request() }));
    expect(plan.bindings).toEqual([binding.pk]);
    expect(plan.markers).toEqual(['reevaluate']);
  });

  it('P11: A (no re-evaluation) then B (re-evaluated, policy false at run time, not evaluated on plan) → plain, reevaluate', async () => {
    const world = new World();
    const flow = world.flow();
    const a = world.bind(flow, { order: 0, re_evaluate_policies: false });
    const b = world.bind(flow, { order: 1, re_evaluate_policies: true });
    world.pb(b, { order: 0, policy: world.dummy(false).pk });
    const { plan, traces } = expectOk(await planFlow(world.engine, { flow, request: request() }));
    expect(plan.bindings).toEqual([a.pk, b.pk]);
    expect(plan.markers).toEqual(['plain', 'reevaluate']);
    // B's policy did not run at plan time: only the flow-level trace.
    expect(traces.map((t) => t.target.kind)).toEqual(['flow']);
  });

  // P12–P15 (requires_flow_executor / to_redirect with allowed silent stage types) belong to
  // the executor's silent-stage redirect: issue 4, "Executor" (spec §3.6, §4); tested there.
});

describe('planner — plan building', () => {
  it('evaluate_on_plan × re_evaluate_policies: the four combinations of spec §2.1', async () => {
    const world = new World();
    const flow = world.flow();
    const combos = [
      { evaluate_on_plan: false, re_evaluate_policies: false },
      { evaluate_on_plan: true, re_evaluate_policies: false },
      { evaluate_on_plan: false, re_evaluate_policies: true },
      { evaluate_on_plan: true, re_evaluate_policies: true },
    ];
    const passing = combos.map((c, i) => world.bind(flow, { order: i, ...c }));
    const failing = combos.map((c, i) => world.bind(flow, { order: 10 + i, ...c }));
    for (const b of failing) world.pb(b, { order: 0, policy: world.dummy(false).pk });
    for (const b of passing) world.pb(b, { order: 0, policy: world.dummy(true).pk });
    const { plan, traces } = expectOk(await planFlow(world.engine, { flow, request: request(), useCache: false }));
    expect(plan.bindings).toEqual([
      passing[0]!.pk, passing[1]!.pk, passing[2]!.pk, passing[3]!.pk,
      failing[0]!.pk, failing[2]!.pk,
    ]);
    expect(plan.markers).toEqual(['plain', 'plain', 'reevaluate', 'reevaluate', 'plain', 'reevaluate']);
    // Flow + the four evaluate_on_plan bindings.
    expect(traces.map((t) => t.target.kind)).toEqual(['flow', 'binding', 'binding', 'binding', 'binding']);
    expect(traces[1]).toMatchObject({ target: { kind: 'binding', pk: passing[1]!.pk }, passing: true });
  });

  it('binding policies see flow_plan (the plan so far) and the plan context; flow-level policies do not', async () => {
    const seen: { target: string; hasPlan: boolean; bindings?: unknown; pending?: unknown }[] = [];
    const runtime = new ScriptedExpressionRuntime({
      probe: (v: ExpressionVariables) => {
        const plan = v.context.flow_plan as Plan | undefined;
        seen.push({ target: v.request.obj?.kind ?? '?', hasPlan: plan !== undefined, bindings: plan ? [...plan.bindings] : undefined, pending: v.context.custom });
        return { result: true };
      },
    });
    const world = new World({ expressions: runtime });
    const flow = world.flow();
    world.pb(flow, { order: 0, policy: world.expression('probe').pk });
    const first = world.bind(flow, { order: 0 });
    const second = world.bind(flow, { order: 1, evaluate_on_plan: true });
    world.pb(second, { order: 0, policy: world.expression('probe').pk });
    expectOk(await planFlow(world.engine, { flow, request: request(), context: { custom: 'value' } }));
    expect(seen).toEqual([
      { target: 'flow', hasPlan: false, bindings: undefined, pending: 'value' },
      { target: 'binding', hasPlan: true, bindings: [first.pk], pending: 'value' },
    ]);
  });

  it('a policy mutating flow_plan.context at plan time changes the plan', async () => {
    const runtime = new ScriptedExpressionRuntime({
      mutate: (v) => {
        (v.context.flow_plan as Plan).context.set_by_policy = true;
        return { result: true };
      },
    });
    const world = new World({ expressions: runtime });
    const flow = world.flow();
    const b = world.bind(flow, { order: 0, evaluate_on_plan: true });
    world.pb(b, { order: 0, policy: world.expression('mutate').pk });
    const { plan } = expectOk(await planFlow(world.engine, { flow, request: request() }));
    expect(plan.context.set_by_policy).toBe(true);
  });

  it('flow-level and plan-time policies run for the pending user, not the request user', async () => {
    const world = new World();
    const flow = world.flow();
    const group = world.group();
    const member = world.user({ groups: [group.pk] });
    const stranger = world.user();
    world.pb(flow, { order: 0, group: group.pk });
    const b = world.bind(flow, { order: 0, evaluate_on_plan: true });
    world.pb(b, { order: 0, group: group.pk });
    const asSession = await planFlow(world.engine, { flow, request: request({ session_user: stranger }), useCache: false });
    expect(asSession).toMatchObject({ ok: false, reason: 'not_applicable' });
    const asPending = expectOk(
      await planFlow(world.engine, { flow, request: request({ session_user: stranger }), context: { pending_user: userRef(member) }, useCache: false }),
    );
    expect(asPending.plan.bindings).toEqual([b.pk]);
    expect(asPending.traces.map((t) => t.user.pk)).toEqual([member.pk, member.pk]);
  });

  it('the authentication requirement always looks at the request user, even with a pending user', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'require_authenticated' });
    world.bind(flow, { order: 0 });
    const user = world.user();
    const result = await planFlow(world.engine, { flow, request: request(), context: { pending_user: userRef(user) } });
    expect(result).toMatchObject({ ok: false, failed_requirement: 'require_authenticated' });
  });

  it('require_unauthenticated: a logged-in request user is refused', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'require_unauthenticated' });
    world.bind(flow, { order: 0 });
    expect(await planFlow(world.engine, { flow, request: request({ session_user: world.user() }) })).toMatchObject({
      ok: false,
      failed_requirement: 'require_unauthenticated',
    });
    expectOk(await planFlow(world.engine, { flow, request: request() }));
  });

  it('a pending_user that is not a user reference is a planner error', async () => {
    const world = new World();
    const flow = world.flow();
    await expect(planFlow(world.engine, { flow, request: request(), context: { pending_user: 'alice' } })).rejects.toThrow(PlannerError);
  });

  it('the caller’s context is copied, not mutated', async () => {
    const world = new World();
    const flow = world.flow({ authentication: 'none' });
    world.bind(flow, { order: 0 });
    const context = { prompt_data: { a: 1 } };
    const { plan } = expectOk(await planFlow(world.engine, { flow, request: request({ outpost: true }), context }));
    expect(context).toEqual({ prompt_data: { a: 1 } });
    expect(plan.context).toMatchObject({ prompt_data: { a: 1 }, outpost: { instance: { name: 'simulated outpost' } } });
  });
});

describe('planner — plan cache', () => {
  it('a cached plan keeps its plan-time decisions but takes the new context', async () => {
    const world = new World();
    const flow = world.flow();
    const b = world.bind(flow, { order: 0, evaluate_on_plan: true, re_evaluate_policies: false });
    const gate = world.pb(b, { order: 0, policy: world.dummy(true).pk });
    const first = expectOk(await planFlow(world.engine, { flow, request: request(), context: { n: 1 } }));
    expect(first.plan.bindings).toEqual([b.pk]);
    // The gate now fails, but the cached plan still includes the binding (authentik behaviour).
    world.ws.put('policyBinding', { ...gate, policy: world.dummy(false).pk });
    const second = expectOk(await planFlow(world.engine, { flow, request: request(), context: { n: 2 } }));
    expect(second).toMatchObject({ cached: true, plan: { bindings: [b.pk], context: { n: 2 } } });
    // Cleared, the plan is rebuilt and the stage drops out.
    clearPlanCache(world.engine.cache);
    const third = await planFlow(world.engine, { flow, request: request(), context: { n: 3 } });
    expect(third).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('empty plans are cached before the emptiness check; a cached empty plan is returned without EmptyFlow', async () => {
    const world = new World();
    const flow = world.flow();
    expect(await planFlow(world.engine, { flow, request: request() })).toMatchObject({ ok: false, reason: 'empty' });
    expect(world.engine.cache.keys(PLAN_CACHE_PREFIX)).toHaveLength(1);
    const again = expectOk(await planFlow(world.engine, { flow, request: request() }));
    expect(again).toMatchObject({ cached: true, plan: { bindings: [] } });
  });

  it('stage_configuration flows never read a cached plan (but still write one)', async () => {
    const world = new World();
    const flow = world.flow({ designation: 'stage_configuration' });
    world.bind(flow, { order: 0 });
    expectOk(await planFlow(world.engine, { flow, request: request() }));
    const second = expectOk(await planFlow(world.engine, { flow, request: request() }));
    expect(second.cached).toBe(false);
    expect(world.engine.cache.stats.gets).toBe(0);
    expect(world.engine.cache.keys(PLAN_CACHE_PREFIX)).toHaveLength(1);
  });

  it('useCache=false (previews) neither reads nor writes the plan cache', async () => {
    const world = new World();
    const flow = world.flow();
    world.bind(flow, { order: 0 });
    await planFlow(world.engine, { flow, request: request(), ...PREVIEW_PLAN_OPTIONS });
    await planFlow(world.engine, { flow, request: request(), ...PREVIEW_PLAN_OPTIONS });
    expect(world.engine.cache.keys(PLAN_CACHE_PREFIX)).toEqual([]);
  });

  it('all anonymous requests share one plan cache entry; a placeholder user too (pk None)', async () => {
    const world = new World();
    const flow = world.flow();
    world.bind(flow, { order: 0 });
    await planFlow(world.engine, { flow, request: request({ session_key: 'a' }) });
    await planFlow(world.engine, { flow, request: request({ session_key: 'b' }), context: { pending_user: userRef(anonymousUser()) } });
    await planFlow(world.engine, { flow, request: request(), context: { pending_user: { $user: 'placeholder', data: { username: 'ghost' } } } });
    expect(world.engine.cache.keys(PLAN_CACHE_PREFIX)).toEqual([`${PLAN_CACHE_PREFIX}${flow.pk}#None`]);
  });

  it('a placeholder pending user gets policy results cached under #None (upstream formats the missing pk)', async () => {
    const world = new World();
    const flow = world.flow();
    world.bind(flow, { order: 0 });
    world.pb(flow, { order: 0, policy: world.dummy(true).pk });
    await planFlow(world.engine, { flow, request: request(), context: { pending_user: { $user: 'placeholder', data: { username: 'ghost' } } } });
    expect(world.engine.cache.keys(POLICY_CACHE_PREFIX)).toHaveLength(1);
    expect(world.engine.cache.keys(POLICY_CACHE_PREFIX)[0]).toMatch(/#None$/);
  });
});

describe('plan JSON', () => {
  it('round-trips through JSON.stringify/parse and validates as a v1 plan', async () => {
    const world = new World();
    const flow = world.flow();
    world.bind(flow, { order: 0, re_evaluate_policies: false });
    world.bind(flow, { order: 1 });
    const user = world.user();
    const { plan } = expectOk(
      await planFlow(world.engine, {
        flow,
        request: request({ session_user: user }),
        context: { pending_user: userRef(user), prompt_data: { username: 'x', n: 1, nested: [true, null] }, identified: { $user: 'placeholder', data: { username: 'ghost', email: 'g@example.com' } } },
      }),
    );
    const copy = JSON.parse(JSON.stringify(plan)) as unknown;
    expect(copy).toEqual(plan);
    expect(parsePlan(copy)).toEqual(plan);
    expect(plan).toMatchObject({ version: 1, flow_pk: flow.pk, markers: ['plain', 'reevaluate'] });
    expect(plan.context.pending_user).toEqual({ $user: user.pk });
  });

  it('rejects malformed plans', () => {
    expect(() => parsePlan({ version: 2, flow_pk: 'x', bindings: [], markers: [], context: {} })).toThrow();
    expect(() => parsePlan({ version: 1, flow_pk: 'x', bindings: ['a'], markers: [], context: {} })).toThrow();
    expect(() => parsePlan({ version: 1, flow_pk: 'x', bindings: ['a'], markers: ['odd'], context: {} })).toThrow();
  });
});

describe('flow selection for a designation (spec §1.3)', () => {
  it('takes the first flow by slug whose flow-level policies pass', async () => {
    const world = new World();
    const c = world.flow({ slug: 'c-auth', designation: 'authentication' });
    const a = world.flow({ slug: 'a-auth', designation: 'authentication' });
    const b = world.flow({ slug: 'b-auth', designation: 'authentication' });
    world.flow({ slug: 'aa-enroll', designation: 'enrollment' });
    world.pb(a, { order: 0, policy: world.dummy(false).pk });
    const result = await selectFlowForDesignation(world.engine, { designation: 'authentication', request: request() });
    expect(result).toMatchObject({ ok: true, via: 'designation', flow: { slug: 'b-auth' } });
    expect(result.traces.map((t) => t.target.label)).toEqual(['a-auth', 'b-auth']);
    expect(c).toBeDefined();
    expect(b).toBeDefined();
  });

  it('policies are evaluated for the request user', async () => {
    const world = new World();
    const group = world.group();
    const staff = world.flow({ slug: 'a-staff', designation: 'authentication' });
    world.flow({ slug: 'b-public', designation: 'authentication' });
    world.pb(staff, { order: 0, group: group.pk });
    const member = world.user({ groups: [group.pk] });
    expect(await selectFlowForDesignation(world.engine, { designation: 'authentication', request: request({ session_user: member }) })).toMatchObject({
      flow: { slug: 'a-staff' },
    });
    expect(await selectFlowForDesignation(world.engine, { designation: 'authentication', request: request() })).toMatchObject({
      flow: { slug: 'b-public' },
    });
  });

  it('the brand flow wins without a policy check', async () => {
    const world = new World();
    world.flow({ slug: 'a-auth', designation: 'authentication' });
    const brand = world.flow({ slug: 'z-brand', designation: 'authentication' });
    world.pb(brand, { order: 0, policy: world.dummy(false).pk });
    const result = await selectFlowForDesignation(world.engine, { designation: 'authentication', request: request(), brandFlow: 'z-brand' });
    expect(result).toMatchObject({ ok: true, via: 'brand', flow: { pk: brand.pk }, traces: [] });
  });

  it('no passing flow → not found', async () => {
    const world = new World();
    const only = world.flow({ slug: 'only', designation: 'invalidation' });
    world.pb(only, { order: 0, policy: world.dummy(false).pk });
    expect(await selectFlowForDesignation(world.engine, { designation: 'invalidation', request: request() })).toMatchObject({
      ok: false,
      reason: 'not_found',
    });
    expect(await selectFlowForDesignation(world.engine, { designation: 'recovery', request: request() })).toEqual({
      ok: false,
      reason: 'not_found',
      traces: [],
    });
  });
});
