import { type z } from 'zod';
import { type JsonValue } from '@shared/model';
import { invitationStage } from '@shared/model/stages';
import { PLAN_CONTEXT_INVITATION, PLAN_CONTEXT_INVITATION_IN_EFFECT, PLAN_CONTEXT_PROMPT } from '../context-keys';
import { isJsonObject, pythonStr, pythonTruthy } from '../json';
import { normalizeUuid } from '../memory/invitations';
import { type Invitation } from '../ports';
import { eventUser } from '../users';
import { requirePort } from './require-port';
import { defineStage, type StageContext } from './types';

type Config = z.output<typeof invitationStage.config>;

/** `?itoken=` (authentik `INVITATION_TOKEN_KEY`), then `?token=` / `prompt_data.token` (`INVITATION_TOKEN_KEY_CONTEXT`). */
export const INVITATION_TOKEN_KEY = 'itoken';
export const INVITATION_TOKEN_KEY_CONTEXT = 'token';
export const INVITATION_INVALID = 'Invalid invite/invite not found';

/**
 * deepmerge's `always_merger` as authentik uses it: dicts merge recursively, lists are
 * appended, anything else is replaced by the newer value.
 */
export function alwaysMerge(base: JsonValue, next: JsonValue): JsonValue {
  if (isJsonObject(base) && isJsonObject(next)) {
    const out: Record<string, JsonValue> = { ...base };
    for (const [key, value] of Object.entries(next)) out[key] = Object.hasOwn(out, key) ? alwaysMerge(out[key] as JsonValue, value) : structuredClone(value);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(next)) return [...base, ...structuredClone(next)];
  return structuredClone(next);
}

/** The invitation as the plan context carries it (authentik keeps the `Invitation` object). */
export function invitationRef(invitation: Invitation): Record<string, JsonValue> {
  return {
    $invitation: invitation.pk,
    name: invitation.name,
    flow: invitation.flow === null ? null : { $flow: invitation.flow },
    single_use: invitation.single_use,
    fixed_data: invitation.fixed_data,
    expires: invitation.expires,
  };
}

/** `get_token`: stored query `itoken`, then `token`, then `prompt_data.token`. */
function invitationToken(ctx: StageContext<Config>): string | null {
  const query = ctx.query;
  if (Object.hasOwn(query, INVITATION_TOKEN_KEY)) return query[INVITATION_TOKEN_KEY] ?? null;
  if (Object.hasOwn(query, INVITATION_TOKEN_KEY_CONTEXT)) return query[INVITATION_TOKEN_KEY_CONTEXT] ?? null;
  const prompt = ctx.plan.context[PLAN_CONTEXT_PROMPT];
  if (isJsonObject(prompt) && Object.hasOwn(prompt, INVITATION_TOKEN_KEY_CONTEXT)) {
    const value = prompt[INVITATION_TOKEN_KEY_CONTEXT] ?? null;
    return pythonTruthy(value) ? pythonStr(value) : null;
  }
  return null;
}

/** `get_invite`: the token's unexpired invitation, if it is not bound to another flow. */
function findInvitation(ctx: StageContext<Config>): Invitation | null {
  const token = invitationToken(ctx);
  if (!token) return null;
  const store = requirePort(ctx.deps, 'invitations');
  if (normalizeUuid(token) === null) {
    ctx.log('debug', `invalid invitation (not a UUID): ${token}`);
    return null;
  }
  const invitation = store.get(token);
  if (!invitation) {
    ctx.log('debug', `invalid invitation (unknown or expired): ${token}`);
    return null;
  }
  if (invitation.flow !== null && normalizeUuid(invitation.flow) !== normalizeUuid(ctx.plan.flow_pk)) {
    ctx.log('debug', `invite for incorrect flow (expected ${ctx.deps.workspace.flowByPk(invitation.flow)?.slug ?? invitation.flow})`);
    return null;
  }
  return invitation;
}

/**
 * `authentik_stages_invitation.invitationstage` (non-interactive, any method): the invitation
 * from `?itoken=` / `?token=` / `prompt_data.token`; none (or unknown, expired, for another
 * flow) → stage_ok with `continue_flow_without_invitation`, else "Invalid invite/invite not
 * found". Valid → `invitation_in_effect`, `invitation`, `prompt_data` deep-merged with
 * `fixed_data` (fixed data wins, lists are appended), an `invitation_used` event; a single-use
 * invitation is deleted right here (authentik 2022.x–2025.x; the spec's appended final stage is
 * the 2021 code).
 */
export const invitationStageImpl = defineStage<Config>({
  model: invitationStage.model,
  run(ctx) {
    const invitation = findInvitation(ctx);
    if (!invitation) {
      if (ctx.config.continue_flow_without_invitation) return ctx.ok();
      return ctx.invalid(INVITATION_INVALID);
    }
    const context = ctx.plan.context;
    context[PLAN_CONTEXT_INVITATION_IN_EFFECT] = true;
    context[PLAN_CONTEXT_INVITATION] = invitationRef(invitation);
    let merged: JsonValue = {};
    merged = alwaysMerge(merged, isJsonObject(context[PLAN_CONTEXT_PROMPT]) ? context[PLAN_CONTEXT_PROMPT] : {});
    merged = alwaysMerge(merged, invitation.fixed_data);
    context[PLAN_CONTEXT_PROMPT] = merged;
    ctx.deps.events.append({
      action: 'invitation_used',
      user: eventUser(ctx.requestUser()),
      client_ip: ctx.request.ip,
      app: 'authentik.events.signals',
      model: null,
      context: { invitation_uuid: normalizeUuid(invitation.pk) ?? invitation.pk },
    });
    if (invitation.single_use) {
      requirePort(ctx.deps, 'invitations').delete(invitation.pk);
      ctx.log('info', `Deleted single-use invitation ${invitation.name} (${invitation.pk})`);
    }
    return ctx.ok();
  },
});
