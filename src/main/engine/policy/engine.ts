import {
  findKind,
  policyRegistry,
  type JsonValue,
  type Policy,
  type PolicyBinding,
  type PolicyEngineMode,
} from '@shared/model';
import { isJsonObject, toJson } from '../json';
import { type EngineDeps, type EngineUser, type SimRequest, type TraceLog } from '../ports';
import { isAuthenticated } from '../users';
import { policyCacheKey } from './cache-key';
import { createPolicyEvent, resultDict } from './events';
import { findKindImpl, ROOT_POLICY_MODEL, type PolicyKindImpl } from './kinds';
import {
  PolicyEngineException,
  PolicyException,
  PolicyTimeout,
  type KindResult,
  type PolicyEvaluation,
  type PolicyRequest,
  type PolicyTrace,
  type ResultOutcome,
  type TraceBinding,
  type TraceResult,
  type TraceTarget,
} from './types';

/**
 * The policy engine of spec §2.5 (authentik `authentik/policies/engine.py` + `process.py`).
 *
 * - Enabled bindings only, by `order` (then pk).
 * - User/group bindings: folded into ONE static result (`aggregate`, authentik ≥ 2025.8 with the
 *   mode-ALL fix of 2026.2), or judged one by one like a policy (`per-binding`, authentik ≤ 2025.6,
 *   which 2025.2 is).
 * - Policy bindings run one after another (authentik runs them inline in its web workers):
 *   negate on a normal return; a PolicyException → `failure_result` (negate NOT applied); any
 *   other error → failing; no result within `timeout` seconds → failing with a clear message.
 * - Mode any/all over the dynamic results (binding order) followed by the static result;
 *   no results → passing; messages concatenated in that order.
 * - The policy cache (key `goauthentik.io/policies/<binding hex>_[_<session>]#<user pk>`) is
 *   read when `useCache`, and written whenever the request "should cache": an authenticated
 *   user and not a debug request — as upstream, independently of `useCache`.
 * Every evaluation returns a plain-JSON trace.
 */

export type StaticBindingsMode = 'aggregate' | 'per-binding';

export interface EvaluatePoliciesInput {
  target: TraceTarget;
  mode: PolicyEngineMode;
  /** The target's bindings; default: `workspace.policyBindings(target.pk)`. */
  bindings?: readonly PolicyBinding[];
  /** Policies by pk for bindings the workspace does not know (ad-hoc lists). */
  policies?: ReadonlyMap<string, Policy>;
  /** `request.user`; must be set (authentik: "User must be set"). */
  user: EngineUser;
  request: SimRequest | null;
  /** Copied into the policy request context after the request's geoip/asn. */
  context?: Record<string, unknown>;
  /** Read the policy cache (authentik `engine.use_cache`). Default true. */
  useCache?: boolean;
  /** Debug request: no events, no cache writes. Default false. */
  debug?: boolean;
  /** Default `aggregate`. */
  staticBindings?: StaticBindingsMode;
  /** authentik's ListPolicyEngine: no static folding, every binding evaluated like a policy, no cache writes. */
  list?: boolean;
}

const DEFAULT_CACHE_TTL_SECONDS = 300;

/** The policy request context a request starts with (authentik's context processors). */
export function requestContext(http: SimRequest | null): Record<string, unknown> {
  if (!http) return {};
  return { geoip: http.geoip, asn: http.asn };
}

interface Prepared {
  binding: PolicyBinding;
  policy: Policy | null;
  impl: PolicyKindImpl | null;
  config: unknown;
}

const parsedConfigs = new WeakMap<object, unknown>();

function kindOf(policy: Policy): string {
  return findKind(policyRegistry, policy.kind)?.model ?? policy.kind;
}

/** authentik `_check_policy_type`, plus config validation: problems are build errors. */
function prepare(deps: EngineDeps, input: EvaluatePoliciesInput, binding: PolicyBinding): Prepared {
  if (binding.policy === null) return { binding, policy: null, impl: null, config: null };
  const policy = input.policies?.get(binding.policy) ?? deps.workspace.policyByPk(binding.policy);
  if (!policy) {
    throw new PolicyEngineException(`Policy binding ${binding.pk} refers to policy ${binding.policy}, which does not exist`);
  }
  const model = kindOf(policy);
  if (model === ROOT_POLICY_MODEL) throw new PolicyEngineException(`Policy '${policy.name}' is root type`);
  const impl = findKindImpl(model);
  if (!impl) throw new PolicyEngineException(`Policy '${policy.name}' has kind '${policy.kind}', which Flowbench cannot evaluate`);
  let config = parsedConfigs.get(policy);
  if (config === undefined) {
    const parsed = impl.config.safeParse(policy.config ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PolicyEngineException(
        `Policy '${policy.name}' has an invalid config: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      );
    }
    config = parsed.data;
    parsedConfigs.set(policy, config);
  }
  return { binding, policy, impl, config };
}

function traceBinding(binding: PolicyBinding): TraceBinding {
  return {
    pk: binding.pk,
    order: binding.order,
    negate: binding.negate,
    enabled: binding.enabled,
    timeout: binding.timeout,
    failure_result: binding.failure_result,
  };
}

function byOrderThenPk(a: PolicyBinding, b: PolicyBinding): number {
  return a.order - b.order || (a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0);
}

export async function evaluatePolicies(deps: EngineDeps, input: EvaluatePoliciesInput): Promise<PolicyEvaluation> {
  if (!input.user) throw new PolicyEngineException('User must be set');
  const useCache = input.useCache ?? true;
  const debug = input.debug ?? false;
  const list = input.list ?? false;
  const mode = input.mode;
  const all = input.bindings ?? (input.target.pk === null ? [] : deps.workspace.policyBindings(input.target.pk));
  const bindings = all.filter((b) => b.enabled).sort(byOrderThenPk);

  const request: PolicyRequest = {
    user: input.user,
    http: input.request,
    obj: input.target,
    context: { ...requestContext(input.request), ...(input.context ?? {}) },
    debug,
  };

  const aggregate = !list && (input.staticBindings ?? 'aggregate') === 'aggregate';
  const dynamic = aggregate ? bindings.filter((b) => b.policy !== null) : bindings;
  // Build first: a binding the engine cannot run fails the whole evaluation before anything runs.
  const prepared = dynamic.map((b) => prepare(deps, input, b));

  const results: TraceResult[] = [];
  for (const item of prepared) {
    results.push(await runBinding(deps, request, item, { useCache: useCache && !list, writeCache: !list }));
  }
  if (aggregate) {
    const folded = foldStatic(deps, request.user, bindings, mode);
    if (folded) results.push(folded);
  }

  const passing =
    results.length === 0 ? true : mode === 'all' ? results.every((r) => r.passing) : results.some((r) => r.passing);
  const messages = results.flatMap((r) => r.messages);
  const trace: PolicyTrace = {
    target: { ...input.target },
    mode,
    user: { pk: input.user.pk, username: input.user.username, is_anonymous: input.user.is_anonymous },
    passing,
    messages,
    results,
  };
  return { passing, messages, trace };
}

// ---------------------------------------------------------------------------------------------
// Static (user/group) bindings

/**
 * authentik `compute_static_bindings` (≥ 2025.8, mode-aware since 2026.2): one result for all
 * user/group bindings, no messages. `passing` counts only when the user has a pk.
 */
function foldStatic(
  deps: EngineDeps,
  user: EngineUser,
  bindings: readonly PolicyBinding[],
  mode: PolicyEngineMode,
): TraceResult | null {
  // No binding names a user or a group: nothing can count and nothing is reported (the usual
  // case), so skip the user's group lookup.
  if (bindings.every((b) => b.user === null && b.group === null)) return null;
  const statics = bindings.filter((b) => b.policy === null && (b.group !== null || b.user !== null));
  const total = statics.length;
  let passingCount: number | null = null;
  const details: JsonValue[] = [];
  const logs: TraceLog[] = [];
  if (user.pk !== null && user.pk !== 0) {
    const groups = new Set(deps.workspace.userGroups(user.pk).map((g) => g.pk));
    passingCount = 0;
    for (const b of bindings) {
      const positive = (b.user !== null && b.user === user.pk) || (b.group !== null && groups.has(b.group));
      const negative = (b.user !== null && b.user !== user.pk) || (b.group !== null && !groups.has(b.group));
      const counts = b.negate ? negative : positive;
      if (counts) passingCount += 1;
      if (b.policy === null && (b.group !== null || b.user !== null)) {
        details.push({ pk: b.pk, order: b.order, user: b.user, group: b.group, negate: b.negate, passing: counts });
        logs.push({
          level: 'debug',
          message: `${b.group !== null ? `group ${b.group}` : `user ${b.user}`}${b.negate ? ' (negated)' : ''}: ${counts ? 'passes' : 'does not pass'}`,
        });
      }
    }
  } else {
    for (const b of statics) details.push({ pk: b.pk, order: b.order, user: b.user, group: b.group, negate: b.negate, passing: null });
    logs.push({ level: 'debug', message: 'user has no pk: no user/group binding counts as passing' });
  }
  const ignored = bindings.filter((b) => b.policy === null && b.group === null && b.user === null);
  for (const b of ignored) logs.push({ level: 'warning', message: `binding ${b.pk} has no policy, group or user: ignored` });
  if (total === 0 && (passingCount ?? 0) === 0) return null;
  const count = passingCount ?? 0;
  const passing = mode === 'any' ? count > 0 : count === total;
  return {
    binding: null,
    policy: null,
    subject: 'static',
    raw_result: { total, passing: passingCount, bindings: details },
    passing,
    messages: [],
    logs,
    notes: [],
    duration_ms: 0,
    error: null,
    outcome: 'static',
    cached: false,
  };
}

/**
 * authentik ≤ 2025.6 `PolicyBinding.passes` for a binding without a policy: group → the user
 * is a member of it or of one of its descendants (`user.all_groups()` holds it); user → the
 * same saved user; nothing set → false. Exported for the per-binding mode and G10–G12.
 */
export function staticBindingPasses(
  deps: EngineDeps,
  binding: Pick<PolicyBinding, 'group' | 'user'>,
  user: EngineUser,
): boolean {
  if (binding.group !== null) {
    if (user.is_anonymous) throw new TypeError("'AnonymousUser' object has no attribute 'all_groups'");
    if (user.pk === null) return false;
    return deps.workspace.userGroups(user.pk).some((g) => g.pk === binding.group);
  }
  if (binding.user !== null) return user.pk !== null && user.saved && user.pk === binding.user;
  return false;
}

// ---------------------------------------------------------------------------------------------
// One binding (authentik PolicyProcess)

interface CachedResult {
  passing: boolean;
  messages: string[];
  raw_result: JsonValue;
  logs: TraceLog[];
  notes: string[];
  outcome: ResultOutcome;
  error: string | null;
}

function isCachedResult(value: JsonValue | undefined): value is JsonValue & CachedResult {
  return isJsonObject(value) && typeof value.passing === 'boolean' && Array.isArray(value.messages);
}

class TimeoutSignal {
  constructor(readonly seconds: number) {}
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The reason the timeout timer is cancelled with once the policy has returned. Given explicitly,
 * so `abort()` does not build a DOMException (with its stack) for every binding that ran.
 */
const POLICY_RETURNED = Object.freeze({ reason: 'policy returned before its timeout' });

async function runWithTimeout<T>(deps: EngineDeps, seconds: number, run: () => Promise<T>): Promise<T | TimeoutSignal> {
  if (!(seconds > 0)) return run();
  const controller = new AbortController();
  const timer = deps.clock.sleep(seconds * 1000, controller.signal).then(
    () => new TimeoutSignal(seconds),
    () => new TimeoutSignal(seconds),
  );
  try {
    return await Promise.race([run(), timer]);
  } finally {
    controller.abort(POLICY_RETURNED);
  }
}

async function runBinding(
  deps: EngineDeps,
  request: PolicyRequest,
  item: Prepared,
  options: { useCache: boolean; writeCache: boolean },
): Promise<TraceResult> {
  const { binding, policy, impl } = item;
  // Written out field by field below: `{...base, more}` takes V8's slow path for every result.
  const traceBindingOf = traceBinding(binding);
  const tracePolicy = policy ? { pk: policy.pk, name: policy.name, kind: kindOf(policy) } : null;
  const subject = policy ? ('policy' as const) : ('static' as const);
  const shouldCache = options.writeCache && isAuthenticated(request.user) && !request.debug;
  const key = options.useCache || shouldCache ? policyCacheKey(binding, request.user, request.http) : '';

  if (options.useCache) {
    const hit = deps.cache.get(key);
    if (isCachedResult(hit)) {
      return {
        binding: traceBindingOf,
        policy: tracePolicy,
        subject,
        raw_result: hit.raw_result,
        passing: hit.passing,
        messages: [...hit.messages],
        logs: [...hit.logs, { level: 'debug', message: `P_ENG: Taking result from cache (${key})` }],
        notes: [...hit.notes],
        duration_ms: 0,
        error: hit.error,
        outcome: hit.outcome,
        cached: true,
      };
    }
  }

  const logs: TraceLog[] = [];
  const notes: string[] = [];
  const details: { output?: string; error_line?: number | null } = {};
  let started = deps.clock.now();
  let result: KindResult;
  let outcome: ResultOutcome;
  let error: string | null = null;

  const execute = (): KindResult | Promise<KindResult> => {
    if (!policy || !impl) return { passing: staticBindingPasses(deps, binding, request.user), messages: [] };
    return impl.passes(
      {
        policy,
        request,
        deps,
        log: (level, message) => logs.push({ level, message }),
        note: (text) => notes.push(text),
        detail: (extra) => Object.assign(details, extra),
        timeoutSeconds: binding.timeout,
      },
      item.config,
    );
  };

  try {
    let returned: KindResult | TimeoutSignal;
    const before = impl?.ready?.(deps);
    if (before) {
      await before;
      // The wait is the runtime starting, not the policy: neither its duration nor its timeout.
      started = deps.clock.now();
      notes.push('Waited for the Python runtime to start before evaluating (not counted in the duration)');
    }
    if (policy !== null && impl !== null && (impl.mayWait?.(deps, item.config) ?? true)) {
      returned = await runWithTimeout(deps, binding.timeout, () => Promise.resolve().then(execute));
    } else {
      // A static binding or a kind that cannot wait returns before any timer could fire: run it
      // now, without one (a timer per binding costs more than such a policy).
      const value = execute();
      returned = value instanceof Promise ? await value : value;
    }
    if (returned instanceof TimeoutSignal) {
      error = `Policy did not return within the binding's timeout of ${returned.seconds} seconds`;
      logs.push({ level: 'warning', message: error });
      result = { passing: false, messages: [error] };
      outcome = 'timeout';
    } else {
      result = {
        passing: binding.negate ? !returned.passing : returned.passing,
        messages: [...returned.messages],
        raw_result: returned.raw_result ?? null,
      };
      outcome = policy ? 'returned' : 'static';
      if (policy && !request.debug && policy.execution_logging) {
        createPolicyEvent(deps, 'policy_execution', 'Policy Execution', binding, policy, request, {
          result: resultDict({ ...result, logs: toJson(logs) }),
        });
      }
    }
  } catch (caught) {
    error = errorText(caught);
    if (caught instanceof PolicyTimeout) {
      logs.push({ level: 'warning', message: error });
      result = { passing: false, messages: [error] };
      outcome = 'timeout';
    } else if (caught instanceof PolicyException) {
      outcome = 'policy_exception';
      if (policy && !request.debug) {
        createPolicyEvent(deps, 'policy_exception', error, binding, policy, request, { exception: { message: error } });
      }
      logs.push({ level: 'debug', message: `P_ENG(proc): error, using failure result (${String(binding.failure_result)})` });
      result = { passing: binding.failure_result, messages: [error] };
    } else {
      outcome = 'crash';
      logs.push({ level: 'warning', message: `Policy failed to run: ${error}` });
      result = { passing: false, messages: [error] };
    }
  }

  const traced: TraceResult = {
    binding: traceBindingOf,
    policy: tracePolicy,
    subject,
    raw_result: result.raw_result ?? null,
    passing: result.passing,
    messages: result.messages,
    logs,
    notes,
    duration_ms: Math.max(0, deps.clock.now() - started),
    error,
    outcome,
    cached: false,
  };
  if (details.output) traced.output = details.output;
  if (details.error_line !== undefined && error !== null) traced.error_line = details.error_line;

  if (shouldCache && outcome !== 'timeout') {
    const stored: CachedResult = {
      passing: traced.passing,
      messages: traced.messages,
      raw_result: traced.raw_result,
      logs: traced.logs,
      notes: traced.notes,
      outcome: traced.outcome,
      error: traced.error,
    };
    // toJson already builds a fresh JSON value, shared with nothing (the trace keeps its own).
    deps.cache.set(key, toJson(stored), DEFAULT_CACHE_TTL_SECONDS);
  }
  return traced;
}

// ---------------------------------------------------------------------------------------------
// Convenience entry points

/** authentik's ListPolicyEngine (prompt-stage validation): fresh bindings, mode all, no cache. */
export async function evaluatePolicyList(
  deps: EngineDeps,
  input: {
    target: TraceTarget;
    policies: readonly Policy[];
    user: EngineUser;
    request: SimRequest | null;
    context?: Record<string, unknown>;
    debug?: boolean;
  },
): Promise<PolicyEvaluation> {
  const byPk = new Map(input.policies.map((p) => [p.pk, p]));
  const bindings: PolicyBinding[] = input.policies.map((policy, index) => ({
    pk: `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
    target: input.target.pk ?? '00000000-0000-0000-0000-000000000000',
    policy: policy.pk,
    group: null,
    user: null,
    negate: false,
    enabled: true,
    order: index,
    timeout: 30,
    failure_result: false,
  }));
  return evaluatePolicies(deps, {
    target: input.target,
    mode: 'all',
    bindings,
    policies: byPk,
    user: input.user,
    request: input.request,
    context: input.context,
    useCache: false,
    debug: input.debug,
    list: true,
  });
}
