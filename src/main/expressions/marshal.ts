import { type Group, type JsonValue } from '@shared/model';
import { type EngineUser, type ExpressionHostCalls, type ExpressionVariables, type SimRequest } from '../engine/ports';
import { isUserRef, type UserRef } from '../engine/users';
import { WIRE_TAG } from './protocol';

/**
 * Engine values to wire JSON (what the Python prelude decodes into authentik-like objects) and
 * back. Users travel as snapshots with their groups (ancestors included) so `ak_is_group_member`,
 * `user.ak_groups` and `group_attributes` need no round trip; a flow plan travels with its
 * context, whose writes come back as JSON with `UserRef`s.
 */

type Wire = JsonValue;

export interface MarshalDeps {
  host?: ExpressionHostCalls;
  /** Resolves a `UserRef` stored in a plan context (null = unknown user). */
  resolveUser?: (ref: UserRef) => EngineUser | null;
}

function groupWire(group: Group): Wire {
  return { [WIRE_TAG]: 'group', pk: group.pk, name: group.name, is_superuser: group.is_superuser, attributes: escape(group.attributes as JsonValue), parent: group.parent ?? null };
}

export function userWire(user: EngineUser, deps: MarshalDeps): Wire {
  const all = user.pk !== null && deps.host ? deps.host.userGroups(user) : [];
  const wire: Record<string, Wire> = {
    [WIRE_TAG]: 'user',
    pk: user.pk,
    username: user.username,
    name: user.name,
    email: user.email,
    is_active: user.is_active,
    type: user.type,
    path: user.path,
    attributes: escape(user.attributes as JsonValue),
    is_anonymous: user.is_anonymous,
    is_superuser: user.is_superuser,
    saved: user.saved,
    has_usable_password: user.has_usable_password,
    last_login: user.last_login,
    date_joined: user.date_joined,
    password_change_date: user.password_change_date,
    groups: [...user.groups],
    all_groups: all.map(groupWire),
  };
  if (typeof user.backend === 'string') wire.backend = user.backend;
  return wire;
}

function httpWire(http: SimRequest, deps: MarshalDeps): Wire {
  return {
    [WIRE_TAG]: 'http',
    ip: http.ip,
    user_agent: http.user_agent,
    query: { ...http.query },
    host: http.host ?? 'localhost',
    scheme: http.scheme ?? 'http',
    user: http.session_user ? userWire(http.session_user, deps) : null,
  };
}

function isEngineUser(value: object): value is EngineUser {
  return 'username' in value && 'is_anonymous' in value && 'saved' in value && 'attributes' in value;
}

function isPlanLike(value: object): value is { flow_pk: string; bindings: string[]; markers: string[]; context: Record<string, unknown> } {
  const v = value as Record<string, unknown>;
  return typeof v.flow_pk === 'string' && Array.isArray(v.bindings) && Array.isArray(v.markers) && typeof v.context === 'object' && v.context !== null;
}

/** Plain JSON whose objects might carry the tag key: wrapped so Python reads them as dicts. */
function escape(value: JsonValue): Wire {
  if (Array.isArray(value)) return value.map(escape);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Wire> = {};
    for (const [k, v] of Object.entries(value)) out[k] = escape(v);
    return Object.hasOwn(out, WIRE_TAG) ? { [WIRE_TAG]: 'dict', value: out } : out;
  }
  return value;
}

/** Any context value: JSON, user refs, engine users, a flow plan. */
export function toWire(value: unknown, deps: MarshalDeps, depth = 0): Wire {
  if (depth > 64) return null;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((v) => toWire(v, deps, depth + 1));
  if (typeof value !== 'object') return null;
  if (isUserRef(value)) {
    const user = deps.resolveUser?.(value) ?? null;
    if (!user) return null;
    const wire = userWire(user, deps) as Record<string, Wire>;
    const backend = (value as { backend?: unknown }).backend;
    if (typeof backend === 'string') wire.backend = backend;
    return wire;
  }
  if (isEngineUser(value)) return userWire(value, deps);
  if (isPlanLike(value)) {
    return {
      [WIRE_TAG]: 'plan',
      flow_pk: value.flow_pk,
      bindings: [...value.bindings],
      markers: [...value.markers],
      context: toWire(value.context, deps, depth + 1),
    };
  }
  const out: Record<string, Wire> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'function') continue;
    out[k] = toWire(v, deps, depth + 1);
  }
  return Object.hasOwn(out, WIRE_TAG) ? { [WIRE_TAG]: 'dict', value: out } : out;
}

/** The evaluator's variables on the wire (`request.context` is rebuilt from `context` in Python). */
export function variablesToWire(variables: ExpressionVariables, deps: MarshalDeps): Record<string, Wire> {
  const out: Record<string, Wire> = {
    request: {
      user: userWire(variables.request.user, deps),
      http_request: variables.request.http_request ? httpWire(variables.request.http_request, deps) : null,
      obj: variables.request.obj
        ? {
            [WIRE_TAG]: 'obj',
            kind: variables.request.obj.kind,
            pk: variables.request.obj.pk,
            label: variables.request.obj.label,
            fields: deps.host ? escape(deps.host.targetFields(variables.request.obj)) : {},
          }
        : null,
    },
    context: toWire(variables.context, deps),
    ak_is_sso_flow: variables.ak_is_sso_flow,
  };
  if (variables.http_request) out.http_request = httpWire(variables.http_request, deps);
  if (variables.ak_client_ip !== undefined) out.ak_client_ip = variables.ak_client_ip;
  if (variables.user) out.user = userWire(variables.user, deps);
  if (variables.prompt_context) out.prompt_context = toWire(variables.prompt_context, deps);
  return out;
}

/** Wire JSON coming back (results, plan contexts) to engine JSON: users become `UserRef`s. */
export function fromWire(value: unknown, depth = 0): JsonValue {
  if (depth > 64) return null;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => fromWire(v, depth + 1));
  if (typeof value !== 'object') return null;
  const obj = value as Record<string, unknown>;
  switch (obj[WIRE_TAG]) {
    case 'dict': {
      const inner = obj.value;
      const out: Record<string, JsonValue> = {};
      if (inner && typeof inner === 'object') for (const [k, v] of Object.entries(inner)) out[k] = fromWire(v, depth + 1);
      return out;
    }
    case 'user':
      return userRefFromWire(obj) as unknown as JsonValue;
    case 'group':
      return typeof obj.pk === 'string' ? obj.pk : null;
    case 'repr':
      return typeof obj.repr === 'string' ? obj.repr : null;
    default: {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(obj)) out[k] = fromWire(v, depth + 1);
      return out;
    }
  }
}

function userRefFromWire(obj: Record<string, unknown>): UserRef & { backend?: string } {
  let ref: UserRef & { backend?: string };
  if (typeof obj.pk === 'number' && Number.isInteger(obj.pk)) ref = { $user: obj.pk };
  else if (obj.is_anonymous === true) ref = { $user: 'anonymous' };
  else {
    const data: { username: string; email?: string; name?: string; attributes?: Record<string, JsonValue> } = { username: typeof obj.username === 'string' ? obj.username : '' };
    if (typeof obj.email === 'string' && obj.email) data.email = obj.email;
    if (typeof obj.name === 'string' && obj.name) data.name = obj.name;
    const attributes = fromWire(obj.attributes);
    if (attributes && typeof attributes === 'object' && !Array.isArray(attributes) && Object.keys(attributes).length > 0) data.attributes = attributes;
    ref = { $user: 'placeholder', data };
  }
  if (typeof obj.backend === 'string') ref.backend = obj.backend;
  return ref;
}
