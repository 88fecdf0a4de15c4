import { type JsonValue, type Policy, type PolicyBinding } from '@shared/model';
import { cleanseDict, isJsonObject, toJson, uuidHex } from '../json';
import { type EngineDeps } from '../ports';
import { eventUser, isUserRef, resolveUserRef } from '../users';
import { type KindResult, type PolicyRequest } from './types';

/** The module authentik's policy events are created from (`Event.new` records the caller). */
export const POLICY_EVENT_APP = 'authentik.policies.process';

/** authentik `sanitize_item(PolicyRequest)`: user, obj, context (secrets cleansed), http request. */
export function sanitizePolicyRequest(deps: EngineDeps, request: PolicyRequest): Record<string, JsonValue> {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.context)) {
    if (isUserRef(value)) {
      try {
        context[key] = eventUser(resolveUserRef(deps.workspace, value));
      } catch {
        context[key] = value;
      }
    } else {
      context[key] = value;
    }
  }
  const json = toJson(context);
  return {
    user: toJson(eventUser(request.user)),
    obj: toJson(request.obj),
    context: isJsonObject(json) ? cleanseDict(json) : {},
    http_request: request.http ? { method: 'GET', args: cleanseDict(toJson(request.http.query) as Record<string, JsonValue>) } : null,
  };
}

function bindingDict(binding: PolicyBinding, policy: Policy | null): Record<string, JsonValue> {
  return {
    app: 'authentik_policies',
    model_name: 'policybinding',
    pk: binding.pk,
    name: `Binding from ${binding.target} #${binding.order} to ${policy ? `policy ${policy.name}` : binding.group ? `group ${binding.group}` : `user ${binding.user}`}`,
  };
}

/** authentik `PolicyProcess.create_event`: one event with the binding, request and extra data. */
export function createPolicyEvent(
  deps: EngineDeps,
  action: 'policy_execution' | 'policy_exception',
  message: string,
  binding: PolicyBinding,
  policy: Policy,
  request: PolicyRequest,
  extra: Record<string, JsonValue>,
): void {
  deps.events.append({
    action,
    user: eventUser(request.user),
    client_ip: request.http?.ip ?? null,
    app: POLICY_EVENT_APP,
    model: null,
    context: {
      message,
      policy_uuid: uuidHex(policy.pk),
      binding: bindingDict(binding, policy),
      request: sanitizePolicyRequest(deps, request),
      ...extra,
    },
  });
}

/** authentik's `asdict(PolicyResult)` inside an event. */
export function resultDict(result: KindResult & { logs?: JsonValue }): Record<string, JsonValue> {
  return {
    passing: result.passing,
    messages: result.messages,
    raw_result: result.raw_result ?? null,
    log_messages: result.logs ?? [],
  };
}
