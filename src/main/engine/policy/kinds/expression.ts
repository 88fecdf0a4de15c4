import { expressionPolicy } from '@shared/model/policies';
import { PLAN_CONTEXT_SSO } from '../../context-keys';
import { pythonTruthy, toJson } from '../../json';
import { type ExpressionRuntime, type ExpressionVariables, type WorkspaceReader } from '../../ports';
import { isUserRef, resolveUserRef } from '../../users';
import { PolicyException, type KindResult, type PolicyRequest } from '../types';
import { defineKind } from './types';

export const EXPRESSIONS_UNAVAILABLE = 'Expression policies are not available yet in this build';

/**
 * The engine's default expression runtime until the Python runtime exists: every evaluation
 * reports itself unavailable and the policy fails with a clear message, whatever the binding's
 * `failure_result` — an expression Flowbench cannot run must never pass.
 */
export const unavailableExpressionRuntime: ExpressionRuntime = {
  evaluate() {
    return Promise.resolve({ result: undefined, messages: [], logs: [], error: EXPRESSIONS_UNAVAILABLE, unavailable: true });
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
 * `authentik_policies_expression.expressionpolicy` through the ExpressionRuntime port:
 * an exception (syntax or runtime) → PolicyException → the binding's failure_result with the
 * exception text as the only message; `None` → failing (warning logged); otherwise Python
 * truthiness; messages = every `ak_message()`, also on passing results.
 */
export const expressionKind = defineKind({
  model: expressionPolicy.model,
  config: expressionPolicy.config,
  async passes(ctx, config): Promise<KindResult> {
    const outcome = await ctx.deps.expressions.evaluate(config.expression, expressionVariables(ctx.deps.workspace, ctx.request));
    for (const line of outcome.logs) ctx.log(line.level, line.message);
    // A missing runtime is not the policy's own exception: it must never pass, not even through
    // failure_result=true, so it is reported as a crash (always failing) rather than a PolicyException.
    if (outcome.unavailable) {
      ctx.note('Expression runtime not available: the policy fails whatever its failure_result');
      throw new Error(outcome.error ?? EXPRESSIONS_UNAVAILABLE);
    }
    if (outcome.error !== undefined) throw new PolicyException(outcome.error);
    const raw = outcome.result === undefined ? null : toJson(outcome.result);
    if (raw === null) {
      ctx.log('warning', 'Expression policy returned None');
      return { passing: false, messages: outcome.messages, raw_result: null };
    }
    const passing = outcome.truthy ?? pythonTruthy(raw);
    return { passing, messages: outcome.messages, raw_result: raw };
  },
});
