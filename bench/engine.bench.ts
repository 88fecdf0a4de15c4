import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Flow, type JsonValue } from '@shared/model';
import { createWorkspaceEngine, type WorkspaceEngine } from '../src/main/engine-adapter';
import { PLAN_CONTEXT_PENDING_USER } from '../src/main/engine/context-keys';
import { planFlow, PREVIEW_PLAN_OPTIONS, PLAN_VERSION, type Plan, type PlanInput, type PlanMarker } from '../src/main/engine/planner';
import { type EngineUser, type SimRequest } from '../src/main/engine/ports';
import { engineUser } from '../src/main/engine/users';
import { openWorkspace, type Workspace } from '../src/main/workspace';
import { type Figure, percentile, timeIt } from './measure';

/**
 * Issue 4's engine benchmarks, on the real path of a preview or `flowbench plan`: the fixtures
 * imported into a workspace (SQLite), users created through the user service, then
 * `createWorkspaceEngine(workspace)` — a sandbox copy of the workspace whose reader takes ONE
 * in-memory snapshot through the services and answers every plan from it (it would only re-read
 * SQLite after a committed write, and planning writes nothing). Plans use `PREVIEW_PLAN_OPTIONS`
 * (uncached), as a preview does.
 */

const FIXTURES = resolve(__dirname, '../../shared/fixtures/authentik-blueprints');
const AUTHENTICATION_FLOW = 'default-authentication-flow';
const MATRIX_USERS = 10_000;

function fixtureFiles(): { name: string; text: string }[] {
  return ['default', 'example'].flatMap((folder) =>
    readdirSync(join(FIXTURES, folder))
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ name: `${folder}/${f}`, text: readFileSync(join(FIXTURES, folder, f), 'utf8') })),
  );
}

async function fixtureWorkspace(): Promise<Workspace> {
  const ws = openWorkspace({ path: ':memory:' });
  const imported = await ws.services.blueprints.import(fixtureFiles());
  if (!imported.ok) throw new Error(`fixture import failed: ${imported.issues[0]?.message ?? 'unknown'}`);
  return ws;
}

/**
 * `count` users created through the user service (no password: nothing to hash), all in one
 * write transaction — the store's own path, so the engine's reader sees them exactly as it
 * sees users made in the app. Every 100th user is in a superuser group (a nested one), every
 * user in a plain group, so `is_superuser` and group ancestry are derived as for real data.
 */
async function createUsers(ws: Workspace, count: number): Promise<number[]> {
  const { services } = ws;
  const created: Promise<{ pk: number }>[] = [];
  services.context.write(() => {
    const staff = services.groups.create({ name: 'bench-staff' });
    const admins = services.groups.create({ name: 'bench-admins', is_superuser: true });
    const nested = services.groups.create({ name: 'bench-admins-nested', parent: admins.pk });
    // Without a password `users.create` runs synchronously up to its write; the promise only
    // carries the result (or the error) out.
    for (let i = 0; i < count; i += 1) {
      created.push(
        services.users.create({
          username: `bench-user-${i}`,
          email: `bench-user-${i}@example.org`,
          name: `Bench User ${i}`,
          groups: i % 100 === 0 ? [staff.pk, nested.pk] : [staff.pk],
        }),
      );
    }
  });
  return (await Promise.all(created)).map((u) => u.pk);
}

/**
 * The simulated request: anonymous without a session user (authentik's benchmark plans on a
 * `RequestFactory` request with `AnonymousUser`), else that user logged in (`flowbench plan --user`).
 */
function simRequest(sessionUser: EngineUser | null = null): SimRequest {
  return {
    ip: '127.0.0.1',
    user_agent: 'flowbench-bench',
    query: {},
    geoip: null,
    asn: null,
    session_user: sessionUser,
    session_key: sessionUser ? `bench-session-${sessionUser.pk}` : null,
  };
}

/**
 * What a preview passes to the planner. `Object.assign` rather than `{...PREVIEW_PLAN_OPTIONS, flow, …}`:
 * V8 (Node 20) takes a slow path for a spread followed by more properties, which would be
 * charged to the planner here.
 */
function previewInput(flow: Flow, request: SimRequest, context: Record<string, JsonValue>): PlanInput {
  return Object.assign({ flow, request, context }, PREVIEW_PLAN_OPTIONS);
}

/** Bindings (flow-level and plan-time) whose policy is an expression: they run through the unavailable runtime. */
function expressionBindings(engine: WorkspaceEngine, flows: readonly Flow[]): { flowLevel: number; planTime: number } {
  const isExpression = (targetPk: string): boolean =>
    engine.workspace
      .policyBindings(targetPk)
      .some((b) => b.enabled && b.policy !== null && engine.workspace.policyByPk(b.policy)?.kind.includes('expression') === true);
  let flowLevel = 0;
  let planTime = 0;
  for (const flow of flows) {
    if (isExpression(flow.pk)) flowLevel += 1;
    for (const binding of engine.workspace.flowStageBindings(flow.pk)) if (binding.evaluate_on_plan && isExpression(binding.pk)) planTime += 1;
  }
  return { flowLevel, planTime };
}

function flowBySlug(engine: WorkspaceEngine, slug: string): Flow {
  const flow = engine.workspace.flowBySlug(slug);
  if (!flow) throw new Error(`the fixtures have no flow ${slug}`);
  return flow;
}

/**
 * The bare loop: what the planner does for a flow without policies, minus its checks — read the
 * flow's stage bindings from the same reader, walk them in order and build the same plain plan
 * object (context copied, markers set). No authentication check, no policy engine, no stage
 * lookup, no async.
 */
function barePlan(engine: WorkspaceEngine, flow: Flow, context: Record<string, JsonValue>): Plan {
  const plan: Plan = { version: PLAN_VERSION, flow_pk: flow.pk, bindings: [], markers: [], context: { ...context } };
  for (const binding of engine.workspace.flowStageBindings(flow.pk)) {
    const marker: PlanMarker = binding.re_evaluate_policies ? 'reevaluate' : 'plain';
    plan.bindings.push(binding.pk);
    plan.markers.push(marker);
  }
  return plan;
}

const fmtRate = (count: number, ms: number): string => `${Math.round((count / ms) * 1000).toLocaleString('en-US')} plans/s`;

/** 1. authentik's `benchmark` command shape: uncached plans of the authentication flow for a pending user. */
export async function benchEnginePlans(): Promise<Figure[]> {
  const ws = await fixtureWorkspace();
  const [userPk] = await createUsers(ws, 1);
  const engine = createWorkspaceEngine(ws);
  try {
    const flow = flowBySlug(engine, AUTHENTICATION_FLOW);
    const context: Record<string, JsonValue> = { [PLAN_CONTEXT_PENDING_USER]: { $user: userPk! } };
    const request = simRequest();
    const plans = 1000;
    const rounds = 9;

    const planned = await planFlow(engine, previewInput(flow, request, context));
    if (!planned.ok) throw new Error(`${AUTHENTICATION_FLOW} did not plan: ${planned.messages.join('; ')}`);
    const bare = barePlan(engine, flow, context);
    if (JSON.stringify(bare) !== JSON.stringify(planned.plan)) throw new Error('the bare loop does not build the planner\'s plan');

    const engineMs: number[] = [];
    const bareMs: number[] = [];
    let sink = 0;
    // Round 0 warms both loops up (JIT) and is not counted; the rest alternate so both see the same machine state.
    for (let round = 0; round <= rounds; round += 1) {
      const e = await timeIt(async () => {
        for (let i = 0; i < plans; i += 1) {
          const result = await planFlow(engine, previewInput(flow, request, context));
          if (result.ok) sink += result.plan.bindings.length;
        }
      });
      const b = await timeIt(() => {
        for (let i = 0; i < plans; i += 1) sink += barePlan(engine, flow, context).bindings.length;
      });
      if (round > 0) {
        engineMs.push(e.ms);
        bareMs.push(b.ms);
      }
    }
    if (sink === 0) throw new Error('nothing was planned');
    engineMs.sort((a, b) => a - b);
    bareMs.sort((a, b) => a - b);
    const engineMedian = percentile(engineMs, 50);
    const bareMedian = percentile(bareMs, 50);
    return [
      { name: 'flow / stage bindings / plan user', value: `${AUTHENTICATION_FLOW} / ${planned.plan.bindings.length} / pending_user (anonymous request)` },
      { name: `${plans} uncached plans (median of ${rounds})`, value: `${engineMedian.toFixed(2)} ms — ${fmtRate(plans, engineMedian)} (target ≥ 20,000 plans/s)` },
      { name: `${plans} bare-loop plans (median of ${rounds})`, value: `${bareMedian.toFixed(2)} ms — ${fmtRate(plans, bareMedian)}` },
      { name: 'ratio planner / bare loop', value: `${(engineMedian / bareMedian).toFixed(2)}× (target ≤ 5×)` },
      { name: 'bare loop', value: 'same reader, same bindings in order, same plan object; no checks, no policy engine, no await' },
    ];
  } finally {
    engine.close();
    ws.close();
  }
}

interface Outcomes {
  planned: number;
  not_applicable: number;
  empty: number;
}

/** 2. Every user × every flow of the fixtures, through the preview's planner path. */
export async function benchEngineMatrix(): Promise<Figure[]> {
  const ws = await fixtureWorkspace();
  const usersAt = await timeIt(() => createUsers(ws, MATRIX_USERS));
  const engineAt = await timeIt(() => createWorkspaceEngine(ws));
  const engine = engineAt.value;
  try {
    const snapshotAt = await timeIt(() => engine.workspace.flowsByDesignation('authentication'));
    const flows = ws.services.flows.list();
    const users = usersAt.value.map((pk) => engineUser(engine.workspace, engine.workspace.userByPk(pk)!));
    const figures: Figure[] = [
      { name: 'flows / users', value: `${flows.length} / ${users.length.toLocaleString('en-US')}` },
      { name: `create ${MATRIX_USERS.toLocaleString('en-US')} users (user service, one transaction)`, value: `${usersAt.ms.toFixed(0)} ms` },
      { name: 'engine over the workspace (sandbox copy + reader snapshot)', value: `${(engineAt.ms + snapshotAt.ms).toFixed(0)} ms` },
    ];
    // Two request shapes per user: logged in (require_unauthenticated flows do not apply), and
    // authentik's benchmark shape (anonymous request, the user as pending_user; flows that
    // require an authenticated request do not apply).
    const shapes: readonly [string, (user: EngineUser) => { request: SimRequest; context: Record<string, JsonValue> }][] = [
      ['logged-in user (`flowbench plan --user`)', (user) => ({ request: simRequest(user), context: {} })],
      ['pending user, anonymous request', (user) => ({ request: simRequest(), context: { [PLAN_CONTEXT_PENDING_USER]: { $user: user.pk! } } })],
    ];
    for (const [label, shape] of shapes) {
      const outcomes: Outcomes = { planned: 0, not_applicable: 0, empty: 0 };
      const run = await timeIt(async () => {
        for (const user of users) {
          const { request, context } = shape(user);
          for (const flow of flows) {
            const result = await planFlow(engine, previewInput(flow, request, context));
            outcomes[result.ok ? 'planned' : result.reason] += 1;
          }
        }
      });
      const total = users.length * flows.length;
      figures.push(
        { name: `${label}: ${total.toLocaleString('en-US')} plans`, value: `${run.ms.toFixed(0)} ms (target ≤ 3000 ms) — ${fmtRate(total, run.ms)}` },
        { name: `${label}: outcomes`, value: `planned ${outcomes.planned}, not applicable ${outcomes.not_applicable}, empty ${outcomes.empty}` },
      );
    }
    const expressions = expressionBindings(engine, flows);
    figures.push({
      name: 'note: expression policies',
      value:
        `this section measures the engine alone — ${expressions.flowLevel} flows with flow-level and ${expressions.planTime} plan-time (evaluate_on_plan) ` +
        'expression bindings go through the no-Python runtime here (they fail at once); the matrix with real Python is its own section below',
    });
    figures.push({ name: 'reader snapshots taken (SQLite reads)', value: `${engine.workspace.snapshots}` });
    return figures;
  } finally {
    engine.close();
    ws.close();
  }
}
