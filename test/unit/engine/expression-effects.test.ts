import { describe, expect, it } from 'vitest';
import { ScriptedExpressionRuntime } from '../../../src/main/engine/memory';
import { evaluatePolicies } from '../../../src/main/engine';
import { request, World } from './fixtures';

/**
 * What an expression's outcome does to the engine: ak_create_event events (authentik's
 * `custom_` prefix for unknown actions), flow_plan writes and a runtime-enforced timeout.
 */
describe('expression policy effects', () => {
  function setup(scripts: ConstructorParameters<typeof ScriptedExpressionRuntime>[0]) {
    const world = new World({ expressions: new ScriptedExpressionRuntime(scripts) });
    const flow = world.flow();
    const user = world.user();
    return { world, flow, user };
  }

  it('records ak_create_event calls as events, unknown actions as custom_<action>, app = the policy name', async () => {
    const { world, flow, user } = setup({
      ev: () => ({
        result: true,
        events: [
          { action: 'hello', context: { n: 1 } },
          { action: 'login_failed', context: { n: 2 } },
        ],
      }),
    });
    const policy = world.expression('ev');
    world.pb(flow, { order: 0, policy: policy.pk });
    await evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: flow.slug }, mode: 'all', user, request: request({ session_user: user }) });
    // The event log answers newest first.
    const events = world.engine.events.query().filter((e) => e.app === policy.name);
    expect(events.map((e) => [e.action, e.context]).reverse()).toEqual([
      ['custom_hello', { n: 1 }],
      ['login_failed', { n: 2 }],
    ]);
  });

  it('writes the expression made to flow_plan.context land in the plan the engine holds', async () => {
    const { world, flow, user } = setup({
      write: () => ({ result: true, plan: { context: { kept: 1, pending_user: { $user: 5 } }, ops: [] } }),
    });
    world.pb(flow, { order: 0, policy: world.expression('write').pk });
    const plan = { flow_pk: flow.pk, bindings: [], markers: [], context: { dropped: true, kept: 0 } as Record<string, unknown> };
    await evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: flow.slug }, mode: 'all', user, request: null, context: { flow_plan: plan } });
    expect(plan.context).toEqual({ kept: 1, pending_user: { $user: 5 } });
  });

  it('a timeout the runtime enforced is the engine timeout outcome: failing, failure_result not used', async () => {
    const { world, flow, user } = setup({ slow: () => ({ result: undefined, error: 'stopped', timed_out: true }) });
    world.pb(flow, { order: 0, policy: world.expression('slow').pk, failure_result: true, timeout: 5 });
    const result = await evaluatePolicies(world.engine, { target: { kind: 'flow', pk: flow.pk, label: flow.slug }, mode: 'all', user, request: null });
    expect(result.passing).toBe(false);
    expect(result.trace.results[0]).toMatchObject({ outcome: 'timeout', messages: ["Policy did not return within the binding's timeout of 5 seconds"] });
  });
});
