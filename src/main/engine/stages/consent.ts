import { type z } from 'zod';
import { type JsonValue } from '@shared/model';
import { consentStage } from '@shared/model/stages';
import {
  PLAN_CONTEXT_APPLICATION,
  PLAN_CONTEXT_CONSENT,
  PLAN_CONTEXT_CONSENT_EXTRA_PERMISSIONS,
  PLAN_CONTEXT_CONSENT_HEADER,
  PLAN_CONTEXT_CONSENT_PERMISSIONS,
} from '../context-keys';
import { isJsonObject, pythonStr } from '../json';
import { type UserConsent } from '../ports';
import { durationSeconds } from './duration';
import { drfChar, responseObject } from './fields';
import { requirePort } from './require-port';
import { defineStage, type StageContext, type StageOutcome } from './types';

type Config = z.output<typeof consentStage.config>;

/** authentik `SESSION_KEY_CONSENT_TOKEN`: the token of the consent challenge last shown in this session. */
export const SESSION_KEY_CONSENT_TOKEN = 'authentik/stages/consent/token';

/** How `context.application` identifies the application for stored consents: pk, else slug, else name. */
export function applicationKey(value: JsonValue | undefined): string {
  if (isJsonObject(value)) {
    for (const key of ['pk', 'slug', 'name'] as const) {
      const part = value[key];
      if (typeof part === 'string' || typeof part === 'number') return String(part);
    }
    return JSON.stringify(value);
  }
  return pythonStr(value ?? null);
}

/** A stored consent as the plan context carries it (authentik keeps the `UserConsent` object). */
export function consentRef(consent: UserConsent): Record<string, JsonValue> {
  return {
    $consent: consent.pk,
    user: { $user: consent.user_pk },
    application: consent.application,
    permissions: consent.permissions,
    expiring: consent.expiring,
    expires: consent.expires,
  };
}

function permissionList(value: JsonValue | undefined): JsonValue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error('context.consent_permissions / consent_additional_permissions must be a list of {id, name}');
  return value;
}

function permissionId(item: JsonValue): string {
  // authentik reads x["id"]: a permission without one raises (a flow error).
  if (!isJsonObject(item) || !Object.hasOwn(item, 'id')) throw new Error(`Consent permission ${JSON.stringify(item)} has no "id"`);
  return pythonStr(item.id ?? null);
}

/** `should_always_prompt`: injected in-memory, mode always_require, or no application to look consent up for. */
function shouldAlwaysPrompt(ctx: StageContext<Config>): boolean {
  return ctx.stage.in_memory || ctx.config.mode === 'always_require' || !Object.hasOwn(ctx.plan.context, PLAN_CONTEXT_APPLICATION);
}

/** `ConsentStageView.get`: skip when a matching consent is stored, else prompt (permissions split into granted / new). */
function lookUp(ctx: StageContext<Config>): StageOutcome {
  if (shouldAlwaysPrompt(ctx)) return ctx.useChallenge();
  const context = ctx.plan.context;
  const application = applicationKey(context[PLAN_CONTEXT_APPLICATION]);
  const user = ctx.pendingUser();
  const store = requirePort(ctx.deps, 'consents');
  const consent = user.pk === null ? null : store.find(user.pk, application);
  context[PLAN_CONTEXT_CONSENT] = consent ? consentRef(consent) : null;
  if (!consent) return ctx.useChallenge();
  const requested = permissionList(context[PLAN_CONTEXT_CONSENT_PERMISSIONS]);
  const allowed = new Set(consent.permissions === '' ? [] : consent.permissions.split(' '));
  const requestedIds = new Set(requested.map(permissionId));
  const same = allowed.size === requestedIds.size && [...allowed].every((id) => requestedIds.has(id));
  if (!same) {
    context[PLAN_CONTEXT_CONSENT_PERMISSIONS] = requested.filter((p) => allowed.has(permissionId(p)));
    context[PLAN_CONTEXT_CONSENT_EXTRA_PERMISSIONS] = requested.filter((p) => !allowed.has(permissionId(p)));
    ctx.log('debug', 'Stored consent covers other permissions: prompting for the new ones');
    return ctx.useChallenge();
  }
  ctx.log('debug', `Consent to ${application} already given (${consent.expiring ? `until ${consent.expires}` : 'permanent'})`);
  return ctx.ok();
}

/**
 * `authentik_stages_consent.consentstage`: challenge `ak-stage-consent` (with user info)
 * `{permissions, additional_permissions, token, header_text?}`; the token is random and kept in
 * the session (authentik's `SESSION_KEY_CONSENT_TOKEN`), the response must echo it (a mismatch
 * re-runs the GET logic). Modes: always_require (never stored), permanent, expiring
 * (`consent_expire_in`). A stored, unexpired consent for (pending user, application) with the
 * same permission ids skips the stage; other ids prompt for the difference. Writes
 * `context.consent`. Consents are saved for the request user, as authentik does.
 */
export const consentStageImpl = defineStage<Config, { token: string }>({
  model: consentStage.model,
  component: 'ak-stage-consent',
  withUserInfo: true,
  run(ctx) {
    if (ctx.method === 'GET') return lookUp(ctx);
    return ctx.useChallenge();
  },
  challenge(ctx) {
    const context = ctx.plan.context;
    const token = ctx.deps.random.uuid();
    ctx.session.data[SESSION_KEY_CONSENT_TOKEN] = token;
    const fields: Record<string, JsonValue> = {
      permissions: context[PLAN_CONTEXT_CONSENT_PERMISSIONS] ?? [],
      additional_permissions: context[PLAN_CONTEXT_CONSENT_EXTRA_PERMISSIONS] ?? [],
      token,
    };
    if (Object.hasOwn(context, PLAN_CONTEXT_CONSENT_HEADER)) fields.header_text = context[PLAN_CONTEXT_CONSENT_HEADER] ?? null;
    return fields;
  },
  responseSchema: responseObject({ token: drfChar() }) as unknown as z.ZodType<{ token: string }>,
  onValid(ctx, response) {
    const expected = ctx.session.data[SESSION_KEY_CONSENT_TOKEN];
    if (response.token !== expected) {
      ctx.log('info', 'Invalid consent token, re-showing prompt');
      const outcome = lookUp(ctx);
      return outcome.kind === 'use_challenge' ? ctx.showChallenge() : outcome;
    }
    if (shouldAlwaysPrompt(ctx)) return ctx.ok();
    const context = ctx.plan.context;
    const application = applicationKey(context[PLAN_CONTEXT_APPLICATION]);
    const permissions = [...permissionList(context[PLAN_CONTEXT_CONSENT_PERMISSIONS]), ...permissionList(context[PLAN_CONTEXT_CONSENT_EXTRA_PERMISSIONS])]
      .map(permissionId)
      .join(' ');
    const store = requirePort(ctx.deps, 'consents');
    const existingRef = context[PLAN_CONTEXT_CONSENT];
    let draft: Omit<UserConsent, 'pk'> & { pk?: string };
    if (isJsonObject(existingRef) && typeof existingRef.$consent === 'string') {
      const existing = store.list().find((c) => c.pk === existingRef.$consent);
      if (!existing) throw new Error(`The stored consent ${existingRef.$consent} no longer exists`);
      draft = existing;
    } else {
      const user = ctx.requestUser();
      // authentik builds UserConsent(user=request.user): an anonymous request user cannot be saved.
      if (user.pk === null) throw new Error('Cannot save a consent for an anonymous user (authentik stores it for the request user; log the user in first)');
      draft = { user_pk: user.pk, application, permissions: '', expiring: true, expires: null };
    }
    draft.permissions = permissions;
    if (ctx.config.mode === 'permanent') draft.expiring = false;
    if (ctx.config.mode === 'expiring') {
      draft.expiring = true;
      draft.expires = new Date(ctx.deps.clock.now() + durationSeconds(ctx.config.consent_expire_in) * 1000).toISOString();
    }
    const saved = store.save(draft);
    context[PLAN_CONTEXT_CONSENT] = consentRef(saved);
    ctx.log('info', `Consent to ${application} saved (${saved.expiring ? `until ${saved.expires}` : 'permanent'}): ${permissions || '(no permissions)'}`);
    return ctx.ok();
  },
});
