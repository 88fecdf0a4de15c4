import { expressionPolicy } from '@shared/model/policies';
import { PLAN_CONTEXT_SSO } from '../../context-keys';
import { pythonTruthy, toJson } from '../../json';
import { type ExpressionOutcome, type ExpressionRuntime, type ExpressionVariables, type WorkspaceReader } from '../../ports';
import { isUserRef, resolveUserRef } from '../../users';
import { PolicyException, PolicyTimeout, type KindResult, type PolicyRequest } from '../types';
import { applyExpressionEffects, expressionHostCalls } from './expression-host';
import { defineKind, type KindContext } from './types';

export const EXPRESSIONS_UNAVAILABLE = 'Expression policies are not available yet in this build';

const UNAVAILABLE_OUTCOME: Readonly<ExpressionOutcome> = Object.freeze({
  result: undefined,
  messages: [],
  logs: [],
  error: EXPRESSIONS_UNAVAILABLE,
  unavailable: true,
});

/**
 * The engine's default expression runtime until the Python runtime exists: every evaluation
 * reports itself unavailable and the policy fails with a clear message, whatever the binding's
 * `failure_result` — an expression Flowbench cannot run must never pass.
 */
export const unavailableExpressionRuntime: ExpressionRuntime = {
  evaluate() {
    return Promise.resolve({ ...UNAVAILABLE_OUTCOME, messages: [], logs: [] });
  },
};

/** The evaluator's locals (spec §6.1); top-level user references become user objects. */
export function expressionVariables(workspace: WorkspaceReader, request: PolicyRequest): ExpressionVariables {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.context)) {
    context[key] = isUserRef(value) ? resolveUserRef(workspace, value) : value;
  }
  const variables: ExpressionVariables = {
    request: { user: request.user, http_request: request.http, obj: request.obj, context },
    context,
    ak_is_sso_flow: context[PLAN_CONTEXT_SSO] === undefined ? false : pythonTruthy(context[PLAN_CONTEXT_SSO]),
  };
  if (request.http) {
    variables.http_request = request.http;
    variables.ak_client_ip = request.http.ip;
  }
  return variables;
}

/**
 * The runtime is missing: an engine condition, not a bug in the policy, so no stack is captured
 * (a stack costs more than the whole evaluation, and a preview plans every binding for every user).
 */
export class ExpressionsUnavailableError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'ExpressionsUnavailableError';
  }
}

/** What an expression's outcome means for the policy (see `expressionKind`). */
function judge(ctx: KindContext, outcome: Readonly<ExpressionOutcome>): KindResult {
  for (const line of outcome.logs) ctx.log(line.level, line.message);
  ctx.detail({ output: outcome.output, error_line: outcome.error_line });
  for (const problem of applyExpressionEffects(ctx.deps, ctx.request, outcome, ctx.policy.name)) ctx.log('warning', problem);
  if (outcome.truncated) ctx.note('Output, messages or the result were cut at the expression runtime\'s limits');
  // A missing runtime is not the policy's own exception: it must never pass, not even through
  // failure_result=true, so it is reported as a crash (always failing) rather than a PolicyException.
  if (outcome.unavailable) {
    ctx.note('Expression runtime not available: the policy fails whatever its failure_result');
    throw new ExpressionsUnavailableError(outcome.error ?? EXPRESSIONS_UNAVAILABLE);
  }
  if (outcome.timed_out) throw new PolicyTimeout(ctx.timeoutSeconds > 0 ? ctx.timeoutSeconds : 30);
  if (outcome.error !== undefined) throw new PolicyException(outcome.error);
  const raw = outcome.result === undefined ? null : toJson(outcome.result);
  if (raw === null) {
    ctx.log('warning', 'Expression policy returned None');
    return { passing: false, messages: outcome.messages, raw_result: null };
  }
  const passing = outcome.truthy ?? pythonTruthy(raw);
  return { passing, messages: outcome.messages, raw_result: raw };
}

/**
 * `authentik_policies_expression.expressionpolicy` through the ExpressionRuntime port:
 * an exception (syntax or runtime) → PolicyException → the binding's failure_result with the
 * exception text as the only message; `None` → failing (warning logged); otherwise Python
 * truthiness; messages = every `ak_message()`, also on passing results.
 */
export const expressionKind = defineKind({
  model: expressionPolicy.model,
  config: expressionPolicy.config,
  // The unavailable runtime answers at once; a real one may take its time.
  // A runtime that owns its deadline answers by the binding's timeout itself (in real time).
  mayWait: (deps) => deps.expressions !== unavailableExpressionRuntime && deps.expressions.ownsDeadline !== true,
  ready(deps) {
    const runtime = deps.expressions;
    const state = runtime.status?.().state;
    return state === undefined || state === 'ready' || state === 'failed' || state === 'unavailable' ? null : (runtime.warmUp?.() ?? null);
  },
  passes(ctx, config): KindResult | Promise<KindResult> {
    const runtime = ctx.deps.expressions;
    // The unavailable runtime answers the same for every expression: skip building its variables
    // (which resolves every user in the context) and judge its answer at once.
    if (runtime === unavailableExpressionRuntime) return judge(ctx, UNAVAILABLE_OUTCOME);
    return runtime
      .evaluate(config.expression, expressionVariables(ctx.deps.workspace, ctx.request), {
        // authentik compiles the expression under the policy's name (it shows in tracebacks).
        filename: ctx.policy.name,
        timeoutMs: ctx.timeoutSeconds > 0 ? ctx.timeoutSeconds * 1000 : undefined,
        host: expressionHostCalls(ctx.deps, ctx.request),
      })
      .then((outcome) => judge(ctx, outcome));
  },
});
