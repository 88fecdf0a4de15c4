import { describe, expect, it } from 'vitest';
import { type PolicyBinding } from '../../../src/shared/model';
import { ScriptedExpressionRuntime } from '../../../src/main/engine/memory';
import {
  CLEANSED_SUBSTITUTE,
  evaluatePolicies,
  evaluatePolicyList,
  policyCacheKey,
  PolicyEngineException,
  POLICY_CACHE_PREFIX,
  staticBindingPasses,
  type EngineUser,
  type EvaluatePoliciesInput,
  type PolicyTrace,
} from '../../../src/main/engine';
import { anonymousUser, placeholderUser } from '../../../src/main/engine/users';
import { request, uuid, World } from './fixtures';

const RAISES = 'return 0/0';

function divisionByZero(): ScriptedExpressionRuntime {
  return new ScriptedExpressionRuntime({ [RAISES]: () => ({ error: 'division by zero' }) });
}

/** A world with one flow as the policy target. */
function setup(options: ConstructorParameters<typeof World>[0] = {}) {
  const world = new World(options);
  const flow = world.flow();
  const user = world.user();
  const run = (extra: Partial<EvaluatePoliciesInput> = {}) =>
    evaluatePolicies(world.engine, {
      target: { kind: 'flow', pk: flow.pk, label: flow.slug },
      mode: extra.mode ?? flow.policy_engine_mode,
      user,
      request: request({ session_user: user }),
      ...extra,
    });
  return { world, flow, user, run };
}

describe('policy engine — conformance (spec §9.3)', () => {
  it('G1: no bindings → passing, no messages', async () => {
    const { run } = setup();
    const result = await run();
    expect(result.passing).toBe(true);
    expect(result.messages).toEqual([]);
    expect(result.trace.results).toEqual([]);
  });

  it('G2: one true dummy → passing, ["dummy"]', async () => {
    const { world, flow, run } = setup();
    world.pb(flow, { order: 0, policy: world.dummy(true).pk });
    const result = await run();
    expect(result.passing).toBe(true);
    expect(result.messages).toEqual(['dummy']);
  });

  it('G3: mode all, false + true → failing, ["dummy","dummy"]', async () => {
    const { world, flow, run } = setup();
    world.pb(flow, { order: 0, policy: world.dummy(false).pk });
    world.pb(flow, { order: 1, policy: world.dummy(true).pk });
    const result = await run({ mode: 'all' });
    expect(result.passing).toBe(false);
    expect(result.messages).toEqual(['dummy', 'dummy']);
  });

  it('G4: mode any, false + true → passing, ["dummy","dummy"]', async () => {
    const { world, flow, run } = setup();
    world.pb(flow, { order: 0, policy: world.dummy(false).pk });
    world.pb(flow, { order: 1, policy: world.dummy(true).pk });
    const result = await run({ mode: 'any' });
    expect(result.passing).toBe(true);
    expect(result.messages).toEqual(['dummy', 'dummy']);
  });

  it('G5: negate on a true policy → failing, message kept', async () => {
    const { world, flow, run } = setup();
    world.pb(flow, { order: 0, policy: world.dummy(true).pk, negate: true });
    const result = await run();
    expect(result.passing).toBe(false);
    expect(result.messages).toEqual(['dummy']);
    expect(result.trace.results[0]).toMatchObject({ outcome: 'returned', passing: false });
  });

  it('G6: an expression raising → failing, "division by zero", one policy_exception event', async () => {
    const { world, flow, run, user } = setup({ expressions: divisionByZero() });
    const policy = world.expression(RAISES);
    world.pb(flow, { order: 0, policy: policy.pk });
    const result = await run();
    expect(result.passing).toBe(false);
    expect(result.messages).toEqual(['division by zero']);
    expect(result.trace.results[0]).toMatchObject({ outcome: 'policy_exception', error: 'division by zero' });
    const events = world.engine.events.query({ action: 'policy_exception' });
    expect(events).toHaveLength(1);
    expect(events[0]?.context.message).toContain('division by zero');
    expect(events[0]?.context.policy_uuid).toBe(policy.pk.replaceAll('-', ''));
    expect(events[0]?.user).toMatchObject({ pk: user.pk, username: user.username });
  });

  it('G7: same with failure_result=true → passing, "division by zero"', async () => {
    const { world, flow, run } = setup({ expressions: divisionByZero() });
    world.pb(flow, { order: 0, policy: world.expression(RAISES).pk, failure_result: true });
    const result = await run();
    expect(result.passing).toBe(true);
    expect(result.messages).toEqual(['division by zero']);
  });

  it('G8: a binding to the abstract base Policy → PolicyEngineException at build time', async () => {
    const { world, flow, run } = setup();
    world.pb(flow, { order: 0, policy: world.dummy(true).pk });
    const root = { pk: uuid(900_001), name: 'wrong_type', kind: 'authentik_policies.policy', execution_logging: false, config: {} };
    world.ws.put('policy', root);
    world.pb(flow, { order: 1, policy: root.pk });
    await expect(run()).rejects.toThrow(PolicyEngineException);
    await expect(run()).rejects.toThrow("Policy 'wrong_type' is root type");
    // Nothing ran: the dummy in front did not log an execution either.
    expect(world.engine.events.size).toBe(0);
  });

  it('G8 (variant): an unknown kind is a build error too', async () => {
    const { world, flow, run } = setup();
    const odd = { pk: uuid(900_002), name: 'unique-pw', kind: 'authentik_policies_unique_password.uniquepasswordpolicy', execution_logging: false, config: {} };
    world.ws.put('policy', odd);
    world.pb(flow, { order: 0, policy: odd.pk });
    await expect(run()).rejects.toThrow(/cannot evaluate/);
  });

  it('G9: the first build stores exactly one cache entry for the binding, the second reuses it', async () => {
    const { world, flow, run, user } = setup();
    const binding = world.pb(flow, { order: 0, policy: world.dummy(false).pk });
    const prefix = `${POLICY_CACHE_PREFIX}${binding.pk.replaceAll('-', '')}`;
    expect(world.engine.cache.keys(prefix)).toHaveLength(0);
    const first = await run();
    expect(first.passing).toBe(false);
    expect(world.engine.cache.keys(prefix)).toEqual([`${prefix}__session-1#${user.pk}`]);
    const second = await run();
    expect(second.passing).toBe(false);
    expect(second.messages).toEqual(['dummy']);
    expect(second.trace.results[0]?.cached).toBe(true);
    expect(world.engine.cache.keys(prefix)).toHaveLength(1);
  });

  it('G10: group binding — member passes, non-member fails (folded and per binding)', async () => {
    const { world, flow, user } = setup();
    const group = world.group();
    world.pb(flow, { order: 0, group: group.pk });
    const outsider = user;
    const member = world.user({ groups: [group.pk] });
    for (const staticBindings of ['aggregate', 'per-binding'] as const) {
      const evaluate = (u: EngineUser) =>
        evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user: u, request: null, staticBindings });
      expect((await evaluate(member)).passing).toBe(true);
      expect((await evaluate(outsider)).passing).toBe(false);
    }
    expect(staticBindingPasses(world.engine, { group: group.pk, user: null }, member)).toBe(true);
    expect(staticBindingPasses(world.engine, { group: group.pk, user: null }, outsider)).toBe(false);
  });

  it('G11: user binding — same user passes, another user fails', async () => {
    const { world, flow, user } = setup();
    world.pb(flow, { order: 0, user: user.pk });
    const other = world.user();
    for (const staticBindings of ['aggregate', 'per-binding'] as const) {
      const evaluate = (u: EngineUser) =>
        evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user: u, request: null, staticBindings });
      expect((await evaluate(user)).passing).toBe(true);
      expect((await evaluate(other)).passing).toBe(false);
    }
    expect(staticBindingPasses(world.engine, { group: null, user: user.pk }, user)).toBe(true);
    expect(staticBindingPasses(world.engine, { group: null, user: user.pk }, other)).toBe(false);
  });

  it('G12: a binding with nothing set fails (authentik PolicyProcess on it; per-binding engine)', async () => {
    const { world, flow, user } = setup();
    expect(staticBindingPasses(world.engine, { group: null, user: null }, user)).toBe(false);
    // The zod schema forbids such a binding; a raw one still fails in per-binding mode…
    const empty: PolicyBinding = { pk: uuid(900_003), target: flow.pk, policy: null, group: null, user: null, negate: false, enabled: true, order: 0, timeout: 30, failure_result: false };
    const perBinding = await evaluatePolicies(world.engine, {
      target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user, request: null, bindings: [empty], staticBindings: 'per-binding',
    });
    expect(perBinding.passing).toBe(false);
    // …while the folded engine (authentik ≥ 2025.8) ignores it, like upstream's aggregate.
    const folded = await evaluatePolicies(world.engine, {
      target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user, request: null, bindings: [empty],
    });
    expect(folded.passing).toBe(true);
    expect(folded.trace.results).toEqual([]);
  });

  it('G13: negate on a false dummy → passing, ["dummy"]', async () => {
    const { world, flow, run } = setup();
    world.pb(flow, { order: 0, policy: world.dummy(false).pk, negate: true });
    const result = await run();
    expect(result.passing).toBe(true);
    expect(result.messages).toEqual(['dummy']);
  });

  it('G14: execution_logging → one policy_execution event with the result and a sanitized request context', async () => {
    const { world, flow, run, user } = setup();
    const policy = world.dummy(false, { execution_logging: true });
    world.pb(flow, { order: 0, policy: policy.pk });
    const result = await run({
      context: {
        complex: { dict: { foo: 'bar' }, list: ['foo', 'bar'], password: 'hunter2', api_key: 'k', passing: true },
        password: 'top-level-secret',
      },
    });
    expect(result.passing).toBe(false);
    const events = world.engine.events.query({ action: 'policy_execution' });
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.user).toMatchObject({ username: user.username });
    expect(event.client_ip).toBe('192.0.2.10');
    expect(event.app).toBe('authentik.policies.process');
    expect(event.context.policy_uuid).toBe(policy.pk.replaceAll('-', ''));
    expect(event.context.result).toMatchObject({ passing: false, messages: ['dummy'] });
    const context = (event.context.request as { context: Record<string, unknown> }).context;
    expect(context).toEqual({
      geoip: null,
      asn: null,
      complex: { dict: { foo: 'bar' }, list: ['foo', 'bar'], password: CLEANSED_SUBSTITUTE, api_key: CLEANSED_SUBSTITUTE, passing: true },
      password: CLEANSED_SUBSTITUTE,
    });
    expect(JSON.stringify(event)).not.toContain('hunter2');
    expect(JSON.stringify(event)).not.toContain('top-level-secret');
  });

  it('G14 (debug): a debug request creates no events and writes no cache', async () => {
    const { world, flow, run } = setup();
    world.pb(flow, { order: 0, policy: world.dummy(false, { execution_logging: true }).pk });
    await run({ debug: true });
    expect(world.engine.events.size).toBe(0);
    expect(world.engine.cache.keys(POLICY_CACHE_PREFIX)).toEqual([]);
  });
});

describe('policy engine — static (user/group) bindings folded into one result', () => {
  function family() {
    const world = new World();
    const flow = world.flow();
    const root = world.group({ name: 'root' });
    const child = world.group({ name: 'child', parent: root.pk });
    const grandchild = world.group({ name: 'grandchild', parent: child.pk });
    const other = world.group({ name: 'other' });
    const user = world.user({ groups: [grandchild.pk] });
    const evaluate = (mode: 'any' | 'all', u: EngineUser = user) =>
      evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode, user: u, request: null });
    return { world, flow, root, child, grandchild, other, user, evaluate };
  }

  it('a binding to an ancestor group counts for a member of a descendant group', async () => {
    const { world, flow, root, evaluate } = family();
    world.pb(flow, { order: 0, group: root.pk });
    const result = await evaluate('any');
    expect(result.passing).toBe(true);
    expect(result.trace.results).toHaveLength(1);
    expect(result.trace.results[0]).toMatchObject({ subject: 'static', binding: null, policy: null, messages: [], outcome: 'static' });
  });

  it('mode any: one matching group of two is enough', async () => {
    const { world, flow, root, other, evaluate } = family();
    world.pb(flow, { order: 0, group: root.pk });
    world.pb(flow, { order: 1, group: other.pk });
    expect((await evaluate('any')).passing).toBe(true);
  });

  it('mode all: one matching group of two is not enough (authentik 2026.2 fix)', async () => {
    const { world, flow, root, other, evaluate } = family();
    world.pb(flow, { order: 0, group: root.pk });
    world.pb(flow, { order: 1, group: other.pk });
    const result = await evaluate('all');
    expect(result.passing).toBe(false);
    expect(result.trace.results[0]?.raw_result).toMatchObject({ total: 2, passing: 1 });
  });

  it('mode all: every group matching (ancestors included) passes', async () => {
    const { world, flow, root, child, grandchild, evaluate } = family();
    world.pb(flow, { order: 0, group: root.pk });
    world.pb(flow, { order: 1, group: child.pk });
    world.pb(flow, { order: 2, group: grandchild.pk });
    expect((await evaluate('all')).passing).toBe(true);
  });

  it('mode all with a negated non-member group: "in root and not in other" passes', async () => {
    const { world, flow, root, other, evaluate } = family();
    world.pb(flow, { order: 0, group: root.pk });
    world.pb(flow, { order: 1, group: other.pk, negate: true });
    expect((await evaluate('all')).passing).toBe(true);
  });

  it('a negated group the user belongs to does not count', async () => {
    const { world, flow, child, evaluate } = family();
    world.pb(flow, { order: 0, group: child.pk, negate: true });
    expect((await evaluate('any')).passing).toBe(false);
  });

  it('a user without pk (anonymous, placeholder) never counts as passing', async () => {
    const { world, flow, root, other, evaluate } = family();
    world.pb(flow, { order: 0, group: root.pk });
    world.pb(flow, { order: 1, group: other.pk, negate: true });
    expect((await evaluate('any', anonymousUser())).passing).toBe(false);
    expect((await evaluate('any', placeholderUser({ username: 'ghost' }))).passing).toBe(false);
    const result = await evaluate('all', anonymousUser());
    expect(result.trace.results[0]?.raw_result).toMatchObject({ total: 2, passing: null });
  });

  it('disabled bindings are ignored entirely', async () => {
    const { world, flow, other, evaluate } = family();
    world.pb(flow, { order: 0, group: other.pk, enabled: false });
    world.pb(flow, { order: 1, policy: world.dummy(false).pk, enabled: false });
    const result = await evaluate('all');
    expect(result.passing).toBe(true);
    expect(result.trace.results).toEqual([]);
  });

  it('the static result comes last and combines with policy results in mode all', async () => {
    const { world, flow, root, evaluate } = family();
    world.pb(flow, { order: 0, group: root.pk });
    world.pb(flow, { order: 5, policy: world.dummy(false).pk });
    const all = await evaluate('all');
    expect(all.passing).toBe(false);
    expect(all.trace.results.map((r) => r.subject)).toEqual(['policy', 'static']);
    expect((await evaluate('any')).passing).toBe(true);
  });
});

describe('policy engine — negate, failure_result, crashes, timeout, order', () => {
  it('negate is not applied to failure_result', async () => {
    const world = new World({ expressions: divisionByZero() });
    const flow = world.flow();
    const user = world.user();
    const policy = world.expression(RAISES);
    const evaluate = async (failure_result: boolean) => {
      const target = world.flow();
      world.pb(target, { order: 0, policy: policy.pk, negate: true, failure_result });
      return evaluatePolicies(world.engine, { target: { kind: 'flow', pk: target.pk, label: 't' }, mode: 'any', user, request: null });
    };
    expect((await evaluate(false)).passing).toBe(false);
    expect((await evaluate(true)).passing).toBe(true);
    expect(flow).toBeDefined();
  });

  it('a crash (not a PolicyException) fails regardless of failure_result and negate, with its text', async () => {
    const world = new World();
    const flow = world.flow();
    const user = world.user();
    // wait_min == wait_max: Python's randrange raises ValueError.
    world.pb(flow, { order: 0, policy: world.dummy(true, { wait_min: 5, wait_max: 5 }).pk, negate: true, failure_result: true });
    const result = await evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user, request: null });
    expect(result.passing).toBe(false);
    expect(result.messages).toEqual(['empty range in randrange(5, 5)']);
    expect(result.trace.results[0]).toMatchObject({ outcome: 'crash', error: 'empty range in randrange(5, 5)' });
    expect(world.engine.events.query({ action: 'policy_exception' })).toEqual([]);
  });

  it('a policy slower than the binding timeout fails with a clear message (fake time)', async () => {
    const world = new World({ autoAdvance: false });
    const flow = world.flow();
    const user = world.user();
    world.pb(flow, { order: 0, policy: world.dummy(true, { wait_min: 10, wait_max: 11 }).pk, timeout: 3, negate: true, failure_result: true });
    const pending = evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user, request: null });
    let settled = false;
    void pending.then(() => (settled = true));
    await world.engine.clock.advance(2_999);
    expect(settled).toBe(false);
    await world.engine.clock.advance(1);
    const result = await pending;
    expect(result.passing).toBe(false);
    expect(result.messages).toEqual(["Policy did not return within the binding's timeout of 3 seconds"]);
    expect(result.trace.results[0]).toMatchObject({ outcome: 'timeout', duration_ms: 3000, cached: false });
    // A timed-out result is not cached.
    expect(world.engine.cache.keys(POLICY_CACHE_PREFIX)).toEqual([]);
  });

  it('a policy within its timeout returns normally and leaves no timer behind', async () => {
    const world = new World({ autoAdvance: false });
    const flow = world.flow();
    const user = world.user();
    world.pb(flow, { order: 0, policy: world.dummy(true, { wait_min: 2, wait_max: 3 }).pk, timeout: 3 });
    const pending = evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user, request: null });
    await world.engine.clock.advance(2_000);
    const result = await pending;
    expect(result.passing).toBe(true);
    expect(result.trace.results[0]?.duration_ms).toBe(2000);
    expect(world.engine.clock.pendingTimers).toBe(0);
  });

  it('messages: dynamic results in binding order (not creation order), the static result last', async () => {
    const world = new World({ expressions: new ScriptedExpressionRuntime({
      a: () => ({ result: true, messages: ['from a'] }),
      b: () => ({ result: false, messages: ['from b1', 'from b2'] }),
      c: () => ({ result: true, messages: ['from c'] }),
    }) });
    const flow = world.flow();
    const group = world.group();
    const user = world.user({ groups: [group.pk] });
    world.pb(flow, { order: 0, group: group.pk });
    world.pb(flow, { order: 30, policy: world.expression('c').pk });
    world.pb(flow, { order: 10, policy: world.expression('a').pk });
    world.pb(flow, { order: 20, policy: world.expression('b').pk });
    const result = await evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user, request: null });
    expect(result.messages).toEqual(['from a', 'from b1', 'from b2', 'from c']);
    expect(result.trace.results.map((r) => r.binding?.order ?? 'static')).toEqual([10, 20, 30, 'static']);
  });
});

describe('policy engine — cache rules', () => {
  it('the key has authentik shape: binding hex, session, user pk', () => {
    const user = { pk: 42 } as EngineUser;
    const binding = { pk: 'AAAAAAAA-0000-4000-8000-000000000001' };
    expect(policyCacheKey(binding, user, request({ session_key: 'abc' }))).toBe(
      'goauthentik.io/policies/aaaaaaaa000040008000000000000001__abc#42',
    );
    expect(policyCacheKey(binding, user, null)).toBe('goauthentik.io/policies/aaaaaaaa000040008000000000000001_#42');
    expect(policyCacheKey(binding, anonymousUser(), request({ session_key: null }))).toBe(
      'goauthentik.io/policies/aaaaaaaa000040008000000000000001__None#None',
    );
  });

  it('results for the anonymous user are never cached', async () => {
    const world = new World();
    const flow = world.flow();
    world.pb(flow, { order: 0, policy: world.dummy(true).pk });
    await evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'any', user: anonymousUser(), request: request() });
    expect(world.engine.cache.keys(POLICY_CACHE_PREFIX)).toEqual([]);
  });

  it('useCache=false does not read the cache but still writes it (as upstream)', async () => {
    const world = new World();
    const flow = world.flow();
    const user = world.user();
    world.pb(flow, { order: 0, policy: world.dummy(true).pk });
    const input = { target: { kind: 'flow' as const, pk: flow.pk, label: 'f' }, mode: 'any' as const, user, request: null, useCache: false };
    await evaluatePolicies(world.engine, input);
    const second = await evaluatePolicies(world.engine, input);
    expect(second.trace.results[0]?.cached).toBe(false);
    expect(world.engine.cache.keys(POLICY_CACHE_PREFIX)).toHaveLength(1);
  });
});

describe('policy engine — the list engine (prompt validation) and the trace', () => {
  it('ad-hoc list: mode all, no negate, no cache', async () => {
    const world = new World();
    const user = world.user();
    const policies = [world.dummy(true), world.dummy(false)];
    const result = await evaluatePolicyList(world.engine, {
      target: { kind: 'prompt_stage', pk: uuid(77), label: 'prompt' },
      policies,
      user,
      request: null,
    });
    expect(result.passing).toBe(false);
    expect(result.messages).toEqual(['dummy', 'dummy']);
    expect(result.trace.mode).toBe('all');
    expect(world.engine.cache.keys()).toEqual([]);
  });

  it('the trace is plain JSON: it survives JSON.stringify/parse unchanged', async () => {
    const world = new World({ expressions: divisionByZero() });
    const flow = world.flow();
    const group = world.group();
    const user = world.user({ groups: [group.pk] });
    world.pb(flow, { order: 0, group: group.pk });
    world.pb(flow, { order: 1, policy: world.dummy(true).pk });
    world.pb(flow, { order: 2, policy: world.expression(RAISES).pk, failure_result: true });
    const { trace } = await evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: 'f' }, mode: 'all', user, request: request({ session_user: user }) });
    const copy = JSON.parse(JSON.stringify(trace)) as PolicyTrace;
    expect(copy).toEqual(trace);
    expect(Object.keys(trace.results[0]!).sort()).toEqual(
      ['binding', 'cached', 'duration_ms', 'error', 'logs', 'messages', 'notes', 'outcome', 'passing', 'policy', 'raw_result', 'subject'].sort(),
    );
    expect(trace).toMatchObject({ target: { kind: 'flow', pk: flow.pk }, mode: 'all', passing: true, user: { pk: user.pk } });
  });
});
