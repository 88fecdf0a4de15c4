import { type JsonValue, type PolicyBinding } from '@shared/model';
import { type EngineDeps, type EngineUser, type ExpressionHostCalls, type ExpressionOutcome, type UserFilter } from '../../ports';
import { engineUser, eventUser, resolveUserRef, UnknownUserError } from '../../users';
import { type PolicyRequest } from '../types';

/**
 * What an expression can ask of the engine while it runs (`ak_user_by`, `ak_call_policy`, …),
 * and how its side effects come back into the engine (events, `flow_plan` writes). Shared by
 * expression policies and the prompt stage's expressions.
 */

const USER_FIELDS: Record<string, keyof UserFilter> = {
  pk: 'pk',
  id: 'pk',
  username: 'username',
  email: 'email',
  name: 'name',
  path: 'path',
  is_active: 'is_active',
  type: 'type',
};

/** authentik `User.objects.filter(**filters).first()` over the supported fields (else null). */
function userBy(deps: EngineDeps, filters: Record<string, JsonValue>): EngineUser | null {
  const exact: UserFilter = {};
  const iexact: UserFilter = {};
  for (const [key, value] of Object.entries(filters)) {
    const [base, lookup] = key.split('__');
    const field = USER_FIELDS[base ?? ''];
    if (!field || (lookup !== undefined && lookup !== 'iexact')) return null;
    const target = lookup === 'iexact' ? iexact : exact;
    (target as Record<string, unknown>)[field] = value;
  }
  const both = Object.keys(iexact).length > 0 && Object.keys(exact).length > 0;
  let users = deps.workspace.findUsers(Object.keys(iexact).length > 0 ? { ...iexact, iexact: true } : exact);
  if (both) {
    users = users.filter((u) => Object.entries(exact).every(([k, v]) => (u as unknown as Record<string, unknown>)[k] === v));
  }
  const first = users[0];
  return first ? engineUser(deps.workspace, first) : null;
}

/** `ak_call_policy`: the named policy alone, on a copy of the request with `kwargs` in its context. */
async function callPolicy(deps: EngineDeps, request: PolicyRequest, name: string, kwargs: Record<string, JsonValue>) {
  const policy = deps.workspace.policyByName(name);
  if (!policy) return { error: `Policy '${name}' not found.` };
  // A function import would be circular at module load (engine → kinds → this file).
  const { evaluatePolicies } = await import('../engine');
  const binding: PolicyBinding = {
    pk: '00000000-0000-4000-8000-00000000ca11',
    target: request.obj.pk ?? '00000000-0000-0000-0000-000000000000',
    policy: policy.pk,
    group: null,
    user: null,
    negate: false,
    enabled: true,
    order: 0,
    timeout: 30,
    failure_result: false,
  };
  const evaluation = await evaluatePolicies(deps, {
    target: { kind: 'adhoc', pk: null, label: `ak_call_policy("${name}")` },
    mode: 'all',
    bindings: [binding],
    policies: new Map([[policy.pk, policy]]),
    user: request.user,
    request: request.http,
    context: { ...request.context, ...kwargs },
    useCache: false,
    debug: request.debug,
    list: true,
  });
  return { passing: evaluation.passing, messages: evaluation.messages };
}

/** authentik model fields of a policy target, as `request.obj` exposes them. */
function targetFields(deps: EngineDeps, obj: { kind: string; pk: string | null }): Record<string, JsonValue> {
  if (obj.pk === null) return {};
  if (obj.kind === 'flow') {
    const flow = deps.workspace.flowByPk(obj.pk);
    if (!flow) return {};
    return { slug: flow.slug, name: flow.name, title: flow.title, designation: flow.designation, authentication: flow.authentication, policy_engine_mode: flow.policy_engine_mode, flow_uuid: flow.pk };
  }
  if (obj.kind === 'binding') {
    const binding = deps.workspace.flowStageBindingByPk(obj.pk);
    if (!binding) return {};
    const stage = deps.workspace.stageByPk(binding.stage);
    const flow = deps.workspace.flowByPk(binding.target);
    return {
      fsb_uuid: binding.pk,
      order: binding.order,
      evaluate_on_plan: binding.evaluate_on_plan,
      re_evaluate_policies: binding.re_evaluate_policies,
      policy_engine_mode: binding.policy_engine_mode,
      stage_name: stage?.name ?? null,
      target_slug: flow?.slug ?? null,
    };
  }
  return {};
}

export function expressionHostCalls(deps: EngineDeps, request: PolicyRequest): ExpressionHostCalls {
  return {
    targetFields: (obj) => targetFields(deps, obj),
    userBy: (filters) => userBy(deps, filters),
    userGroups: (user) => (user.pk === null ? [] : deps.workspace.userGroups(user.pk)),
    resolveUser(ref) {
      try {
        return resolveUserRef(deps.workspace, ref);
      } catch (error) {
        if (error instanceof UnknownUserError) return null;
        throw error;
      }
    },
    userHasAuthenticator(userPk, deviceType) {
      const devices = deps.devices?.list({ user_pk: userPk, confirmed: true }) ?? [];
      return deviceType === null ? devices.length > 0 : devices.some((d) => d.type === deviceType);
    },
    callPolicy: (name, kwargs) => callPolicy(deps, request, name, kwargs),
  };
}

/** authentik's `EventAction` values; any other action an expression names is stored as `custom_<action>`. */
const EVENT_ACTIONS = new Set([
  'login', 'login_failed', 'logout', 'user_write', 'suspicious_request', 'password_set', 'secret_view', 'secret_rotate',
  'invitation_used', 'authorize_application', 'source_linked', 'impersonation_started', 'impersonation_ended',
  'flow_execution', 'policy_execution', 'policy_exception', 'property_mapping_exception', 'system_task_execution',
  'system_task_exception', 'system_exception', 'configuration_error', 'configuration_warning', 'model_created',
  'model_updated', 'model_deleted', 'email_sent', 'update_available', 'export_ready', 'review_initiated',
  'review_overdue', 'review_attested', 'review_completed',
]);

function eventAction(action: string): string {
  return EVENT_ACTIONS.has(action) || action.startsWith('custom_') ? action : `custom_${action}`;
}

interface PlanTarget {
  context: Record<string, JsonValue>;
  redirect?: (destination: string) => void;
  pop?: () => void;
}

function isPlanTarget(value: unknown): value is PlanTarget {
  return typeof value === 'object' && value !== null && typeof (value as PlanTarget).context === 'object' && (value as PlanTarget).context !== null && Array.isArray((value as { bindings?: unknown }).bindings);
}

/**
 * Bring an outcome's side effects into the engine: `ak_create_event` events, writes to
 * `context["flow_plan"].context` (they persist, as in authentik) and `flow_plan` method calls
 * on the live plan. Returns log lines for what could not be applied.
 */
export function applyExpressionEffects(deps: EngineDeps, request: PolicyRequest, outcome: ExpressionOutcome, app: string): string[] {
  const problems: string[] = [];
  for (const event of outcome.events ?? []) {
    if (request.debug) continue;
    deps.events.append({
      action: eventAction(event.action),
      user: eventUser(request.user),
      client_ip: request.http?.ip ?? null,
      app,
      model: null,
      context: event.context,
    });
  }
  const change = outcome.plan;
  if (!change) return problems;
  const plan = request.context.flow_plan;
  if (!isPlanTarget(plan)) {
    problems.push('The expression changed flow_plan, but this evaluation has no flow plan to change');
    return problems;
  }
  if (change.context) {
    for (const key of Object.keys(plan.context)) if (!Object.hasOwn(change.context, key)) delete plan.context[key];
    Object.assign(plan.context, change.context);
  }
  for (const op of change.ops) {
    const method = plan[op.op];
    if (typeof method !== 'function') {
      problems.push(`flow_plan.${op.op}() is only applied while the flow runs (not while it is planned)`);
      continue;
    }
    if (op.op === 'redirect') plan.redirect?.(op.destination);
    else plan.pop?.();
  }
  return problems;
}
