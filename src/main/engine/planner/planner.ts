import { type Flow, type FlowStageBinding, type JsonValue, type Stage, type flowAuthentication } from '@shared/model';
import { type z } from 'zod';
import { PLAN_CONTEXT_FLOW_PLAN, PLAN_CONTEXT_IS_REDIRECTED, PLAN_CONTEXT_OUTPOST, PLAN_CONTEXT_PENDING_USER } from '../context-keys';
import { cloneJson } from '../json';
import { type EngineDeps, type EngineUser, type SimRequest } from '../ports';
import { evaluatePolicies, type StaticBindingsMode } from '../policy/engine';
import { type PolicyTrace } from '../policy/types';
import { anonymousUser, isAuthenticated, isUserRef, resolveUserRef } from '../users';
import { planCacheKey } from './cache-key';
import { emptyPlan, planSchema, type Plan, type PlanMarker } from './plan';

/**
 * The flow planner of spec §3 (authentik `authentik/flows/planner.py`, 2024.10+ shape):
 * authentication requirement → flow-level policies → plan cache → plan building with
 * plan-time evaluation and re-evaluation markers → empty-flow check. Results are typed, never
 * thrown across the API.
 */

export type FlowAuthentication = z.infer<typeof flowAuthentication>;

/** authentik's `FlowNonApplicableException` text when there is no policy message. */
export const FLOW_NOT_APPLICABLE_MESSAGE = 'Flow does not apply to current user.';
/** authentik's `EmptyFlowException` docstring. */
export const EMPTY_FLOW_MESSAGE = 'Flow has no stages.';

export interface PlanOptions {
  /** Read and write the plan cache and read the policy cache (authentik `use_cache`). Default true. */
  useCache?: boolean;
  /** authentik `allow_empty_flows`. Default false. */
  allowEmptyFlows?: boolean;
  /** Debug request: no events, no policy cache writes. Default false. */
  debug?: boolean;
  staticBindings?: StaticBindingsMode;
}

/** Previews plan uncached: a workbench must show the flow as it is now, not as it was cached. */
export const PREVIEW_PLAN_OPTIONS: Readonly<PlanOptions> = Object.freeze({ useCache: false });

export interface PlanInput extends PlanOptions {
  flow: Flow;
  request: SimRequest;
  /** The caller's default context (JSON; users as `UserRef`s). Copied, never mutated. */
  context?: Record<string, JsonValue>;
}

export type PlanResult =
  | { ok: true; plan: Plan; traces: PolicyTrace[]; cached: boolean }
  | {
      ok: false;
      reason: 'not_applicable' | 'empty';
      messages: string[];
      traces: PolicyTrace[];
      /** Set when the flow's authentication requirement failed (no policy ran). */
      failed_requirement?: FlowAuthentication;
    };

export class PlannerError extends Error {
  readonly code = 'PLANNER';
  constructor(message: string) {
    super(message);
    this.name = 'PlannerError';
  }
}

/** The request's user: the session user, else Django's AnonymousUser. */
export function requestUser(request: SimRequest): EngineUser {
  return request.session_user ?? anonymousUser();
}

/** authentik `FlowPlanner._check_authentication`: null when satisfied. */
export function checkAuthentication(
  flow: Flow,
  request: SimRequest,
  context: Record<string, JsonValue>,
): { failed: FlowAuthentication | null; context: Record<string, JsonValue> } {
  // `requestUser(request)` without building an AnonymousUser for every plan: null is anonymous.
  const user = request.session_user;
  const authenticated = user ? isAuthenticated(user) : false;
  const requirement = flow.authentication;
  let failed: FlowAuthentication | null = null;
  if (requirement === 'require_authenticated' && !authenticated) failed = requirement;
  if (requirement === 'require_unauthenticated' && authenticated) failed = requirement;
  if (requirement === 'require_superuser' && !(user?.is_superuser ?? false)) failed = requirement;
  if (requirement === 'require_redirect' && (context[PLAN_CONTEXT_IS_REDIRECTED] ?? null) === null) failed = requirement;
  if (requirement === 'require_outpost' && !request.outpost) failed = requirement;
  if (failed) return { failed, context: {} };
  if (request.outpost) {
    return { failed: null, context: { [PLAN_CONTEXT_OUTPOST]: { instance: { name: request.outpost_name ?? 'simulated outpost' } } } };
  }
  return { failed: null, context: {} };
}

/** The user a plan is made for: `context.pending_user` if present, else the request's user. */
export function planUser(deps: EngineDeps, request: SimRequest, context: Record<string, JsonValue>): EngineUser {
  if (!Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER)) return requestUser(request);
  const ref = context[PLAN_CONTEXT_PENDING_USER];
  if (!isUserRef(ref)) throw new PlannerError('context.pending_user must be a user reference ({"$user": pk} …)');
  return resolveUserRef(deps.workspace, ref);
}

/**
 * A deep copy of a JSON context, as `cloneJson` makes it, without the JSON text round trip for
 * the usual plain data (about a microsecond of every uncached plan otherwise). Anything that JSON would
 * change (undefined, non-finite numbers, `toJSON`, class instances, a `__proto__` key) takes
 * `cloneJson` itself.
 */
function copyContext(context: Record<string, JsonValue>): Record<string, JsonValue> {
  const copied = copyPlain(context);
  return copied === NOT_PLAIN ? cloneJson(context) : (copied as Record<string, JsonValue>);
}

const NOT_PLAIN: unique symbol = Symbol('not plain JSON');

function copyPlain(value: unknown): JsonValue | typeof NOT_PLAIN {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : NOT_PLAIN; // -0 → 0, as JSON
  if (typeof value !== 'object') return NOT_PLAIN;
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value as unknown[]) {
      const copied = copyPlain(item);
      if (copied === NOT_PLAIN) return NOT_PLAIN;
      out.push(copied);
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || 'toJSON' in value) return NOT_PLAIN;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return NOT_PLAIN;
    const copied = copyPlain((value as Record<string, unknown>)[key]);
    if (copied === NOT_PLAIN) return NOT_PLAIN;
    out[key] = copied;
  }
  return out;
}

function bindingLabel(flow: Flow, binding: FlowStageBinding, stage: Stage): string {
  return `${flow.slug} #${binding.order} ${stage.name}`;
}

export async function planFlow(deps: EngineDeps, input: PlanInput): Promise<PlanResult> {
  const { flow, request } = input;
  const useCache = input.useCache ?? true;
  const allowEmpty = input.allowEmptyFlows ?? false;
  const traces: PolicyTrace[] = [];
  const context: Record<string, JsonValue> = copyContext(input.context ?? {});
  const user = planUser(deps, request, context);

  const auth = checkAuthentication(flow, request, context);
  if (auth.failed) {
    return { ok: false, reason: 'not_applicable', messages: [FLOW_NOT_APPLICABLE_MESSAGE], traces, failed_requirement: auth.failed };
  }
  Object.assign(context, auth.context);

  // Flow-level policies: the plan user, the request, a copy of the context, no flow_plan.
  const flowPolicies = await evaluatePolicies(deps, {
    target: { kind: 'flow', pk: flow.pk, label: flow.slug },
    mode: flow.policy_engine_mode,
    user,
    request,
    context: { ...context },
    useCache,
    debug: input.debug,
    staticBindings: input.staticBindings,
  });
  traces.push(flowPolicies.trace);
  if (!flowPolicies.passing) {
    const messages = flowPolicies.messages.length > 0 ? flowPolicies.messages : [FLOW_NOT_APPLICABLE_MESSAGE];
    return { ok: false, reason: 'not_applicable', messages, traces };
  }

  const key = planCacheKey(flow, user);
  if (useCache && flow.designation !== 'stage_configuration') {
    const hit = planSchema.safeParse(deps.cache.get(key));
    if (hit.success) {
      // authentik resets the cached plan's context: it is not part of the cache key.
      return { ok: true, plan: { ...hit.data, context }, traces, cached: true };
    }
  }

  const plan = await buildPlan(deps, input, useCache, user, context, traces);
  if (useCache) deps.cache.set(key, cloneJson(plan as unknown as JsonValue));
  if (plan.bindings.length === 0 && !allowEmpty) {
    return { ok: false, reason: 'empty', messages: [EMPTY_FLOW_MESSAGE], traces };
  }
  return { ok: true, plan, traces, cached: false };
}

/** authentik `FlowPlanner._build_plan`. */
async function buildPlan(
  deps: EngineDeps,
  input: PlanInput,
  useCache: boolean,
  user: EngineUser,
  context: Record<string, JsonValue>,
  traces: PolicyTrace[],
): Promise<Plan> {
  const { flow, request } = input;
  const plan = emptyPlan(flow.pk, context);
  for (const binding of deps.workspace.flowStageBindings(flow.pk)) {
    const stage = deps.workspace.stageByPk(binding.stage);
    if (!stage) throw new PlannerError(`Stage ${binding.stage} of binding ${binding.pk} does not exist`);
    let include = true;
    if (binding.evaluate_on_plan) {
      const evaluation = await evaluatePolicies(deps, {
        target: { kind: 'binding', pk: binding.pk, label: bindingLabel(flow, binding, stage) },
        mode: binding.policy_engine_mode,
        user,
        request,
        // authentik: context["flow_plan"] = plan, then update(plan.context).
        context: { [PLAN_CONTEXT_FLOW_PLAN]: plan, ...plan.context },
        useCache,
        debug: input.debug,
        staticBindings: input.staticBindings,
      });
      traces.push(evaluation.trace);
      include = evaluation.passing;
    }
    if (!include) continue;
    const marker: PlanMarker = binding.re_evaluate_policies ? 'reevaluate' : 'plain';
    plan.bindings.push(binding.pk);
    plan.markers.push(marker);
  }
  return plan;
}

/** Plan a flow by slug; `null` when no flow has that slug. */
export async function planFlowBySlug(
  deps: EngineDeps,
  slug: string,
  input: Omit<PlanInput, 'flow'>,
): Promise<PlanResult | null> {
  const flow = deps.workspace.flowBySlug(slug);
  return flow ? planFlow(deps, { ...input, flow }) : null;
}
