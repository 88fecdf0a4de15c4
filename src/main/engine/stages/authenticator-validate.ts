import { z } from 'zod';
import { findKind, stageRegistry, type JsonValue } from '@shared/model';
import { authenticatorValidateStage } from '@shared/model/stages';
import { NON_FIELD_ERRORS, type ResponseErrors } from '../executor/challenge';
import { PLAN_CONTEXT_METHOD, PLAN_CONTEXT_METHOD_ARGS, PLAN_CONTEXT_PENDING_USER } from '../context-keys';
import { isJsonObject, uuidHex } from '../json';
import { type AuthenticatorDevice, type EngineUser, type StaticDevice, type TotpDevice, type WebAuthnDevice } from '../ports';
import { eventUser, loadEngineUser, userRef } from '../users';
import { generateId } from './authenticator-static';
import { verifyTotpToken } from './authenticator-totp';
import { WEBAUTHN_NOTICE, WEBAUTHN_RP_ID } from './authenticator-webauthn';
import { durationSeconds } from './duration';
import { responseObject } from './fields';
import { requirePort } from './require-port';
import { defineStage, type StageContext, type StageOutcome } from './types';

type Config = z.output<typeof authenticatorValidateStage.config>;
type DeviceClass = Config['device_classes'][number];

/** authentik's MFA cookie (a JWT in the browser; here a session value `{device, stage, exp}`). */
export const COOKIE_NAME_MFA = 'authentik_mfa';
export const SESSION_KEY_STAGES = 'authentik/stages/authenticator_validate/stages';
export const SESSION_KEY_SELECTED_STAGE = 'authentik/stages/authenticator_validate/selected_stage';
export const SESSION_KEY_DEVICE_CHALLENGES = 'authentik/stages/authenticator_validate/device_challenges';

export const MFA_NOT_CONFIGURED = 'No (allowed) MFA authenticator configured.';
export const MFA_INVALID_TOKEN = 'Invalid Token. Please ensure the time on your device is accurate and try again.';
export const MFA_EMPTY_RESPONSE = 'Empty response';
export const MFA_NO_COMPATIBLE_CLASS = 'No compatible device class allowed';
export const MFA_INVALID_DEVICE = 'Invalid device';
export const MFA_ASSERTION_FAILED = 'Assertion failed';
export const MFA_INVALID_CHALLENGE = 'invalid challenge selected';
export const MFA_INVALID_STAGE = 'Selected stage is invalid';
export const MFA_CONFIGURE_WITHOUT_STAGES = 'Authenticator validation stage is set to configure user but no configuration flow is set.';

const DEVICE_APPS: Record<AuthenticatorDevice['type'], { app: string; model_name: string }> = {
  static: { app: 'authentik_stages_authenticator_static', model_name: 'staticdevice' },
  totp: { app: 'authentik_stages_authenticator_totp', model_name: 'totpdevice' },
  webauthn: { app: 'authentik_stages_authenticator_webauthn', model_name: 'webauthndevice' },
};

/** A device as authentik's event/context serialisation writes a model (`{app, model_name, name, pk}`). */
export function deviceRef(device: AuthenticatorDevice): Record<string, JsonValue> {
  return { ...DEVICE_APPS[device.type], name: device.name, pk: device.pk };
}

interface DeviceChallenge {
  device_class: DeviceClass;
  device_uid: string;
  challenge: Record<string, JsonValue>;
  last_used: string | null;
}

interface ValidateResponse {
  [key: string]: unknown;
}

/** What `validate` found, handed to `onValid`. */
interface Validated {
  device: AuthenticatorDevice | null;
  webauthn: boolean;
  selectedStage: string | null;
}

const validated = new WeakMap<object, Validated>();

function webauthnChallenge(ctx: StageContext<Config>, devices: WebAuthnDevice[]): Record<string, JsonValue> {
  return {
    flowbench_notice: WEBAUTHN_NOTICE,
    challenge: generateId(ctx.deps.random, 43),
    timeout: 60000,
    rpId: WEBAUTHN_RP_ID,
    allowCredentials: devices.map((d) => ({ type: 'public-key', id: d.credential_id })),
    userVerification: ctx.config.webauthn_user_verification,
  };
}

/** `get_device_challenges`: one challenge per allowed device class (the first device's uid), plus the allowed devices. */
function deviceChallenges(ctx: StageContext<Config>, user: EngineUser): { challenges: DeviceChallenge[]; allowed: AuthenticatorDevice[] } {
  const devices = user.pk === null ? [] : requirePort(ctx.deps, 'devices').list({ user_pk: user.pk, confirmed: true });
  const challenges: DeviceChallenge[] = [];
  const allowed: AuthenticatorDevice[] = [];
  const seen = new Set<string>();
  for (const device of devices) {
    if (!ctx.config.device_classes.includes(device.type)) {
      ctx.log('debug', `device class not allowed: ${device.type}`);
      continue;
    }
    allowed.push(device);
    if (seen.has(device.type)) continue;
    seen.add(device.type);
    const challenge =
      device.type === 'webauthn' ? webauthnChallenge(ctx, devices.filter((d): d is WebAuthnDevice => d.type === 'webauthn').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) : {};
    challenges.push({ device_class: device.type, device_uid: String(device.pk), challenge, last_used: device.last_used });
  }
  return { challenges, allowed };
}

/** `check_mfa_cookie`: a cookie of this stage, not past its expiry, for one of the allowed devices. */
function mfaCookieValid(ctx: StageContext<Config>, allowed: AuthenticatorDevice[]): boolean {
  const cookie = ctx.session.data[COOKIE_NAME_MFA];
  if (!isJsonObject(cookie) || ctx.stage.pk === null) return false;
  if (cookie.stage !== uuidHex(ctx.stage.pk)) {
    ctx.log('warning', 'Invalid stage PK');
    return false;
  }
  if (typeof cookie.exp !== 'number' || cookie.exp * 1000 <= ctx.deps.clock.now()) {
    ctx.log('info', 'Invalid mfa cookie for device: Signature has expired');
    return false;
  }
  if (!allowed.some((d) => d.pk === cookie.device)) {
    ctx.log('warning', 'Invalid device PK');
    return false;
  }
  return true;
}

function configurationStages(ctx: StageContext<Config>): JsonValue[] {
  const pks = ctx.session.data[SESSION_KEY_STAGES];
  if (!Array.isArray(pks)) return [];
  const out: JsonValue[] = [];
  for (const pk of pks) {
    const stage = typeof pk === 'string' ? ctx.deps.workspace.stageByPk(pk) : null;
    if (!stage) continue;
    const def = findKind(stageRegistry, stage.kind);
    out.push({ pk: stage.pk, name: stage.name, verbose_name: def?.label ?? stage.kind, meta_model_name: def?.model ?? stage.kind });
  }
  return out;
}

/** `prepare_stages`: not_configured_action = configure. */
function prepareStages(ctx: StageContext<Config>, user: EngineUser): StageOutcome {
  const stages = ctx.config.configuration_stages;
  if (stages.length === 0) {
    ctx.deps.events.append({
      action: 'configuration_error',
      user: eventUser(user),
      client_ip: ctx.request.ip,
      app: 'authentik.stages.authenticator_validate.stage',
      model: null,
      context: { message: MFA_CONFIGURE_WITHOUT_STAGES, stage: ctx.stage.pk === null ? null : uuidHex(ctx.stage.pk) },
    });
    ctx.log('error', MFA_CONFIGURE_WITHOUT_STAGES);
    return ctx.invalid();
  }
  if (stages.length === 1) {
    const pk = stages[0] as string;
    ctx.log('debug', `Single stage configured, auto-selecting ${ctx.deps.workspace.stageByPk(pk)?.name ?? pk}`);
    ctx.plan.insert_stage({ pk });
    return ctx.ok();
  }
  ctx.session.data[SESSION_KEY_STAGES] = [...stages];
  return ctx.useChallenge();
}

function onGet(ctx: StageContext<Config>): StageOutcome {
  const user = ctx.pendingUser();
  let challenges: DeviceChallenge[];
  if (!user.is_anonymous) {
    const found = deviceChallenges(ctx, user);
    challenges = found.challenges;
    if (durationSeconds(ctx.config.last_auth_threshold) > 0 && mfaCookieValid(ctx, found.allowed)) {
      ctx.log('info', 'MFA has been used within threshold');
      // The stage skips itself (authentik's FlowSkipStageException): a valid MFA cookie counts.
      return ctx.skip();
    }
  } else {
    if (ctx.flow.designation !== 'authentication') {
      ctx.log('debug', 'Refusing passwordless flow in non-authentication flow');
      return ctx.ok();
    }
    if (!ctx.config.device_classes.includes('webauthn')) {
      ctx.log('debug', 'No pending user, continuing');
      return ctx.ok();
    }
    ctx.log('debug', 'Flow without user, getting generic webauthn challenge');
    challenges = [{ device_class: 'webauthn', device_uid: '-1', challenge: webauthnChallenge(ctx, []), last_used: null }];
  }
  ctx.session.data[SESSION_KEY_DEVICE_CHALLENGES] = challenges as unknown as JsonValue;
  if (challenges.length === 0) {
    switch (ctx.config.not_configured_action) {
      case 'skip':
        ctx.log('debug', 'Authenticator not configured, skipping stage');
        return ctx.ok();
      case 'deny':
        ctx.log('debug', 'Authenticator not configured, denying');
        return ctx.invalid(MFA_NOT_CONFIGURED);
      case 'configure':
        ctx.log('debug', 'Authenticator not configured, forcing configure');
        return prepareStages(ctx, user);
    }
  }
  return ctx.useChallenge();
}

function sessionChallenges(ctx: StageContext<Config>): DeviceChallenge[] {
  const value = ctx.session.data[SESSION_KEY_DEVICE_CHALLENGES];
  return Array.isArray(value) ? (value as unknown as DeviceChallenge[]) : [];
}

function challengeAllowed(ctx: StageContext<Config>, classes: string[]): boolean {
  return sessionChallenges(ctx).some((c) => classes.includes(c.device_class));
}

/** authentik's `login_failed` signal: a `login_failed` event and reputation −1 for (username, IP). */
function loginFailed(ctx: StageContext<Config>, user: EngineUser, extra: Record<string, JsonValue>): void {
  const stored = user.username ? ctx.deps.workspace.findUsers({ username: user.username })[0] : undefined;
  const subject = stored ? loadEngineUser(ctx.deps.workspace, stored.pk) : null;
  ctx.deps.events.append({
    action: 'login_failed',
    user: eventUser(subject ?? ctx.requestUser()),
    client_ip: ctx.request.ip,
    app: 'authentik.events.signals',
    model: null,
    context: {
      username: user.username,
      stage: { app: 'authentik_stages_authenticator_validate', model_name: 'authenticatorvalidatestage', name: ctx.stage.name, pk: ctx.stage.pk === null ? null : uuidHex(ctx.stage.pk) },
      ...extra,
    },
  });
  ctx.deps.reputation.update(user.username, ctx.request.ip, -1);
}

/**
 * `validate_challenge_code` / django-otp `match_token`: the code is tried against every
 * confirmed device of the user (static before TOTP, any class — on purpose, authentik does not
 * let the user choose). A static token is consumed; a TOTP step is never accepted twice.
 */
function matchCode(ctx: StageContext<Config>, user: EngineUser, code: string): AuthenticatorDevice | null {
  if (user.pk === null) return null;
  const store = requirePort(ctx.deps, 'devices');
  const now = ctx.deps.clock.now();
  for (const device of store.list({ user_pk: user.pk, confirmed: true })) {
    if (device.type === 'static') {
      const index = device.tokens.indexOf(code);
      if (index < 0) continue;
      const updated: StaticDevice = { ...device, tokens: device.tokens.filter((_, i) => i !== index), last_used: new Date(now).toISOString() };
      store.update(updated);
      ctx.log('info', `Static token of device ${device.pk} ("${device.name}") used and deleted (${updated.tokens.length} left)`);
      return updated;
    }
    if (device.type === 'totp') {
      const check = verifyTotpToken(device, code, now);
      if (!check.ok) continue;
      const updated: TotpDevice = { ...device, last_t: check.last_t, drift: check.drift, last_used: new Date(now).toISOString() };
      store.update(updated);
      return updated;
    }
  }
  return null;
}

/** DRF `CharField` checks for an optional field that is present. */
function charField(value: unknown): { value: string } | { error: string; code: string } {
  if (value === null) return { error: 'This field may not be null.', code: 'null' };
  if (typeof value !== 'string' && typeof value !== 'number') return { error: 'Not a valid string.', code: 'invalid' };
  const text = String(value).trim();
  if (text === '') return { error: 'This field may not be blank.', code: 'blank' };
  return { value: text };
}

function addError(errors: ResponseErrors, field: string, message: string, code = 'invalid'): void {
  (errors[field] ??= []).push({ string: message, code });
}

function validateWebauthn(ctx: StageContext<Config>, user: EngineUser, data: unknown): { device: WebAuthnDevice } | { error: string } {
  const store = requirePort(ctx.deps, 'devices');
  const pk = isJsonObject(data) ? Number(data.device) : Number.NaN;
  const found = Number.isInteger(pk) ? store.get(pk) : null;
  if (!found || found.type !== 'webauthn' || !found.confirmed) {
    ctx.log('warning', `${WEBAUTHN_NOTICE}: answer {"webauthn": {"simulated": true, "device": <device pk>}}`);
    return { error: MFA_INVALID_DEVICE };
  }
  if (!user.is_anonymous && found.user_pk !== user.pk) return { error: MFA_INVALID_DEVICE };
  if (!isJsonObject(data) || data.simulated !== true) {
    ctx.log('warning', `${WEBAUTHN_NOTICE}: only {"simulated": true, "device": <pk>} is accepted as an assertion`);
    loginFailed(ctx, user, { device: deviceRef(found), device_class: 'webauthn' });
    return { error: MFA_ASSERTION_FAILED };
  }
  const updated: WebAuthnDevice = { ...found, last_used: new Date(ctx.deps.clock.now()).toISOString() };
  store.update(updated);
  return { device: updated };
}

/**
 * `authentik_stages_authenticator_validate.authenticatorvalidatestage` (with user info).
 * GET: challenges for the pending user's confirmed devices of the allowed classes (one per
 * class), a valid MFA cookie (`last_auth_threshold`, kept in session data) skips the stage;
 * without a user: stage_ok outside authentication flows, else a passwordless WebAuthn
 * challenge when WebAuthn is allowed. No device: `not_configured_action` skip / deny ("No
 * (allowed) MFA authenticator configured.") / configure (one configuration stage is inserted
 * next; several are listed for `selected_stage`). POST: `code` (TOTP via otpauth, ±1 step;
 * static tokens are consumed) or `webauthn` (simulated: `{simulated: true, device: <pk>}`);
 * success sets `auth_method` (`auth_mfa`, or `auth_webauthn_pwl` passwordless) and appends the
 * device to `auth_method_args.mfa_devices`.
 */
export const authenticatorValidateStageImpl = defineStage<Config, ValidateResponse>({
  model: authenticatorValidateStage.model,
  component: 'ak-stage-authenticator-validate',
  withUserInfo: true,
  run(ctx) {
    if (ctx.method === 'GET') return onGet(ctx);
    return ctx.useChallenge();
  },
  challenge(ctx) {
    const challenges = sessionChallenges(ctx);
    const fields: Record<string, JsonValue> = {
      device_challenges: challenges as unknown as JsonValue,
      configuration_stages: configurationStages(ctx),
    };
    if (challenges.some((c) => c.device_class === 'webauthn')) fields.flowbench_notice = WEBAUTHN_NOTICE;
    return fields;
  },
  // Fields are checked in `validate`, in DRF's order (each optional; presence matters).
  responseSchema: responseObject({
    selected_challenge: z.unknown().optional(),
    selected_stage: z.unknown().optional(),
    code: z.unknown().optional(),
    webauthn: z.unknown().optional(),
    duo: z.unknown().optional(),
  }) as unknown as z.ZodType<ValidateResponse>,
  validate(ctx, response) {
    const body = response;
    const errors: ResponseErrors = {};
    const user = ctx.pendingUser();
    const result: Validated = { device: null, webauthn: false, selectedStage: null };
    if (Object.hasOwn(body, 'selected_challenge')) {
      const selected = body.selected_challenge;
      const ok =
        isJsonObject(selected) &&
        sessionChallenges(ctx).some((c) => c.device_class === String(selected.device_class ?? '') && c.device_uid === String(selected.device_uid ?? ''));
      if (!ok) addError(errors, 'selected_challenge', MFA_INVALID_CHALLENGE);
    }
    if (Object.hasOwn(body, 'selected_stage')) {
      const field = charField(body.selected_stage);
      if ('error' in field) addError(errors, 'selected_stage', field.error, field.code);
      else {
        const stages = ctx.session.data[SESSION_KEY_STAGES];
        if (!Array.isArray(stages) || !stages.includes(field.value)) addError(errors, 'selected_stage', MFA_INVALID_STAGE);
        else {
          ctx.session.data[SESSION_KEY_SELECTED_STAGE] = field.value;
          result.selectedStage = field.value;
        }
      }
    }
    if (Object.hasOwn(body, 'code')) {
      const field = charField(body.code);
      if ('error' in field) addError(errors, 'code', field.error, field.code);
      else if (!challengeAllowed(ctx, ['totp', 'static', 'sms'])) addError(errors, 'code', MFA_NO_COMPATIBLE_CLASS);
      else {
        const device = matchCode(ctx, user, field.value);
        if (!device) {
          loginFailed(ctx, user, { device_class: 'totp' });
          addError(errors, 'code', MFA_INVALID_TOKEN);
        } else result.device = device;
      }
    }
    if (Object.hasOwn(body, 'webauthn')) {
      if (!challengeAllowed(ctx, ['webauthn'])) addError(errors, 'webauthn', MFA_NO_COMPATIBLE_CLASS);
      else {
        const checked = validateWebauthn(ctx, user, body.webauthn);
        if ('error' in checked) addError(errors, 'webauthn', checked.error);
        else {
          result.device = checked.device;
          result.webauthn = true;
        }
      }
    }
    if (Object.hasOwn(body, 'duo')) {
      // No Duo devices exist in Flowbench: the class is never offered.
      addError(errors, 'duo', MFA_NO_COMPATIBLE_CLASS);
    }
    // authentik's post(): a valid selected stage (configure) is run whatever else the response said.
    if (result.selectedStage !== null && ctx.config.not_configured_action === 'configure') {
      validated.set(response, result);
      return null;
    }
    if (Object.keys(errors).length > 0) return errors;
    if (!Object.hasOwn(body, 'code') && !Object.hasOwn(body, 'webauthn') && !Object.hasOwn(body, 'duo')) {
      return { [NON_FIELD_ERRORS]: [{ string: MFA_EMPTY_RESPONSE, code: 'invalid' }] };
    }
    const context = ctx.plan.context;
    if (!Object.hasOwn(context, PLAN_CONTEXT_METHOD)) context[PLAN_CONTEXT_METHOD] = 'auth_mfa';
    if (!Object.hasOwn(context, PLAN_CONTEXT_METHOD_ARGS)) context[PLAN_CONTEXT_METHOD_ARGS] = {};
    const args = context[PLAN_CONTEXT_METHOD_ARGS];
    if (isJsonObject(args) && result.device) {
      if (!Array.isArray(args.mfa_devices)) args.mfa_devices = [];
      (args.mfa_devices as JsonValue[]).push(deviceRef(result.device));
    }
    validated.set(response, result);
    return null;
  },
  onValid(ctx, response) {
    const result = validated.get(response) ?? { device: null, webauthn: false, selectedStage: null };
    if (result.selectedStage !== null && ctx.config.not_configured_action === 'configure') {
      ctx.log('debug', `Got selected stage in session, running ${ctx.deps.workspace.stageByPk(result.selectedStage)?.name ?? result.selectedStage}`);
      ctx.plan.insert_stage({ pk: result.selectedStage });
      return ctx.ok();
    }
    const context = ctx.plan.context;
    const device = result.device;
    if (!device) throw new Error('authenticator_validate: a valid response without a device');
    if (!Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER) && result.webauthn) {
      const owner = loadEngineUser(ctx.deps.workspace, device.user_pk);
      if (!owner) throw new Error(`The WebAuthn device ${device.pk} belongs to user ${device.user_pk}, who does not exist`);
      ctx.log('debug', `Set user from user-less flow: ${owner.username}`);
      context[PLAN_CONTEXT_PENDING_USER] = userRef(owner) as unknown as JsonValue;
      context[PLAN_CONTEXT_METHOD] = 'auth_webauthn_pwl';
      context[PLAN_CONTEXT_METHOD_ARGS] = { device: deviceRef(device) };
    }
    const threshold = durationSeconds(ctx.config.last_auth_threshold);
    if (threshold < 1 || ctx.stage.pk === null) {
      ctx.log('info', 'Not setting MFA cookie since threshold is not set.');
      return ctx.ok();
    }
    ctx.session.data[COOKIE_NAME_MFA] = { device: device.pk, stage: uuidHex(ctx.stage.pk), exp: (ctx.deps.clock.now() + threshold * 1000) / 1000 };
    return ctx.ok();
  },
  cleanup(ctx) {
    delete ctx.session.data[SESSION_KEY_STAGES];
    delete ctx.session.data[SESSION_KEY_SELECTED_STAGE];
    delete ctx.session.data[SESSION_KEY_DEVICE_CHALLENGES];
  },
});
