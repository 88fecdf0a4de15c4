import { describe, expect, it } from 'vitest';
import { LivePlan, requiresFlowExecutor, toRedirect } from '../../../../src/main/engine/executor';
import { planFlow, type Plan } from '../../../../src/main/engine/planner';
import { defineStage, stageImplementations, type StageRegistry } from '../../../../src/main/engine/stages';
import { request, World } from '../fixtures';
import { bindStage } from './helpers';

/** A stage whose view just redirects (upstream's test `TStageView`). */
const SILENT = 'test.SilentRedirectStage';
const silent = defineStage({ model: SILENT, run: (ctx) => ctx.redirect('https://authentik.company') });
const stages: StageRegistry = { ...stageImplementations, [silent.model]: silent };

async function emptyPlan(world: World, flowSlug: string): Promise<Plan> {
  const flow = world.ws.flowBySlug(flowSlug)!;
  const result = await planFlow(world.engine, { flow, request: request(), allowEmptyFlows: true, useCache: false });
  if (!result.ok) throw new Error('expected a plan');
  return result.plan;
}

function withStage(plan: Plan, marker: 'plain' | 'reevaluate' = 'plain'): Plan {
  const live = new LivePlan(plan, () => 'silent-1');
  live.append_stage({ kind: SILENT }, marker);
  return live.toPlan();
}

describe('silent plans — conformance (spec §9.1 P12–P15)', () => {
  it('P12: an empty plan requires the executor without an allow-list; to_redirect → the flow interface', async () => {
    const world = new World();
    world.flow({ slug: 'p12', authentication: 'none' });
    const plan = await emptyPlan(world, 'p12');
    expect(requiresFlowExecutor(world.engine, plan)).toBe(true);
    const result = await toRedirect(world.engine, { flow: 'p12', plan, request: request() }, { stages });
    expect(result).toMatchObject({ executor: true, to: '/if/flow/p12/' });
    expect(result.state.plan).toEqual(plan);
  });

  it('P13: only an allowed silent stage (plain marker) → no executor; to_redirect returns that stage\'s response', async () => {
    const world = new World();
    world.flow({ slug: 'p13', authentication: 'none' });
    const plan = withStage(await emptyPlan(world, 'p13'));
    expect(requiresFlowExecutor(world.engine, plan, [SILENT])).toBe(false);
    const result = await toRedirect(world.engine, { flow: 'p13', plan, request: request(), allowedSilentTypes: [SILENT] }, { stages });
    expect(result).toMatchObject({ executor: false, to: 'https://authentik.company' });
    // stage_ok() cleaned the session.
    expect(result.state.plan).toBeNull();
  });

  it('P14: a normal bound stage plus an allowed silent stage → executor required', async () => {
    const world = new World();
    const flow = world.flow({ slug: 'p14', authentication: 'none' });
    bindStage(world, flow, 0, { name: 'dummy' });
    const planned = await planFlow(world.engine, { flow, request: request(), useCache: false });
    if (!planned.ok) throw new Error('expected a plan');
    const plan = withStage(planned.plan);
    expect(requiresFlowExecutor(world.engine, plan, [SILENT])).toBe(true);
    const result = await toRedirect(world.engine, { flow: 'p14', plan, request: request(), query: { next: '/a b' }, allowedSilentTypes: [SILENT] }, { stages });
    expect(result).toMatchObject({ executor: true, to: '/if/flow/p14/?next=%2Fa+b' });
  });

  it('P15: an allowed silent stage appended with a re-evaluation marker → executor required', async () => {
    const world = new World();
    world.flow({ slug: 'p15', authentication: 'none' });
    const plan = withStage(await emptyPlan(world, 'p15'), 'reevaluate');
    expect(requiresFlowExecutor(world.engine, plan, [SILENT])).toBe(true);
  });
});
