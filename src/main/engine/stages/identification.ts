import { type z } from 'zod';
import { type JsonValue, type Stage, type User } from '@shared/model';
import { captchaStage, identificationStage, passwordStage } from '@shared/model/stages';
import { PLAN_CONTEXT_APPLICATION, PLAN_CONTEXT_PENDING_USER, PLAN_CONTEXT_PENDING_USER_IDENTIFIER } from '../context-keys';
import { DEFAULT_AVATAR, NON_FIELD_ERRORS, type ResponseErrors } from '../executor/challenge';
import { flowInterfaceUrl } from '../executor/urls';
import { isJsonObject, pythonStr } from '../json';
import { type EngineUser } from '../ports';
import { engineUser, placeholderUser, userRef } from '../users';
import { verifyCaptchaToken } from './captcha';
import { drfChar, responseObject } from './fields';
import { authenticate } from './password';
import { defineStage, type ChallengeFields, type StageContext } from './types';

type Config = z.output<typeof identificationStage.config>;
type PasswordConfig = z.output<typeof passwordStage.config>;
type CaptchaConfig = z.output<typeof captchaStage.config>;

export const FAILED_TO_AUTHENTICATE = 'Failed to authenticate.';

interface IdentificationResponse {
  uid_field: string;
  password: string | null;
  captcha_token: string | null;
  /** Set by `validate`: the user the stage continues with (authentik `pre_user`). */
  pre_user?: EngineUser;
}

/** A stage the identification stage embeds (password / captcha), with its config parsed. */
function embeddedStage<T>(
  ctx: StageContext<Config>,
  pk: string | null,
  kind: { model: string; config: z.ZodType<T> },
  what: string,
): { stage: Stage; config: T } | null {
  if (!pk) return null;
  const stage = ctx.deps.workspace.stageByPk(pk);
  if (!stage) {
    ctx.log('warning', `The ${what} ${pk} does not exist: identification continues without it`);
    return null;
  }
  if (stage.kind !== kind.model) throw new Error(`The ${what} of "${ctx.stage.name}" is a ${stage.kind}, not a ${kind.model}`);
  const parsed = kind.config.safeParse(stage.config ?? {});
  if (!parsed.success) throw new Error(`Stage "${stage.name}" has an invalid config: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { stage, config: parsed.data };
}

function passwordStageOf(ctx: StageContext<Config>) {
  return embeddedStage<PasswordConfig>(ctx, ctx.config.password_stage, passwordStage, 'password stage');
}

function captchaStageOf(ctx: StageContext<Config>) {
  return embeddedStage<CaptchaConfig>(ctx, ctx.config.captcha_stage, captchaStage, 'captcha stage');
}

/** Case-(in)sensitive equality as Django's `__iexact` / `__exact` (`iexact` on a JSON key compares its text). */
function matches(value: unknown, input: string, caseInsensitive: boolean): boolean {
  if (typeof value === 'string') return caseInsensitive ? value.toLowerCase() === input.toLowerCase() : value === input;
  if (caseInsensitive && typeof value === 'number') return String(value) === input;
  return false;
}

/**
 * `IdentificationStageView.get_user`: OR over `user_fields` (`email`, `username`, `upn` =
 * `attributes.upn`), exact or case-insensitive; the first match by pk; no fields → no match.
 */
export function findIdentifiedUser(ctx: StageContext<Config>, uid: string): User | null {
  const fields = ctx.config.user_fields;
  if (fields.length === 0) {
    ctx.log('debug', 'Empty user query: the stage has no user_fields, so nobody can be identified');
    return null;
  }
  const ci = ctx.config.case_insensitive_matching;
  const found = ctx.deps.workspace.findUsers({}).filter((user) =>
    fields.some((field) => {
      if (field === 'upn') return matches(user.attributes.upn, uid, ci);
      return matches(user[field], uid, ci);
    }),
  );
  const user = found[0] ?? null;
  if (user) ctx.log('debug', `Found user ${user.username} (fields ${fields.join(', ')}, ${ci ? 'case-insensitive' : 'exact'})`);
  return user;
}

function failed(): ResponseErrors {
  return { [NON_FIELD_ERRORS]: [{ string: FAILED_TO_AUTHENTICATE, code: 'invalid' }] };
}

/** The name of `context.application` (authentik: `Application().name` when it is set but empty). */
function applicationName(value: JsonValue | undefined): string {
  if (isJsonObject(value)) return typeof value.name === 'string' ? value.name : '';
  if (value === null || value === undefined) return '';
  return pythonStr(value);
}

/**
 * `authentik_stages_identification.identificationstage` (`ak-stage-identification`).
 *
 * Challenge: `user_fields`, `password_fields` (a password stage is embedded),
 * `allow_show_password` (the embedded password stage's), `application_pre`, `flow_designation`,
 * `captcha_stage` (`{js_url, site_key, interactive, pending_user: "", pending_user_avatar}` or
 * null), `enroll_url` / `recovery_url` / `passwordless_url` (`/if/flow/<slug>/` with the
 * executor's query), `primary_action` ("Log in" in authentication flows, else "Continue"),
 * `sources` (always `[]`: sources are not simulated), `show_source_labels`,
 * `enable_remember_me`.
 *
 * Response `uid_field` (required), `password`, `captcha_token`. An unknown identifier: reputation
 * −1 for (identifier, IP), `pending_user` = an unsaved placeholder (username = email = input),
 * `pending_user_identifier` when `show_matched_user` is off; then the stage passes when
 * `pretend_user_exists` and no password stage is embedded, else "Failed to authenticate.".
 * A known user: the embedded captcha, then the embedded password stage's backends (any failure:
 * "Failed to authenticate."; the password failure also fires `login_failed`). Valid →
 * `pending_user` (+ `pending_user_identifier` = the input when `show_matched_user` is off).
 */
export const identificationStageImpl = defineStage<Config, IdentificationResponse>({
  model: identificationStage.model,
  component: 'ak-stage-identification',
  challenge(ctx) {
    const config = ctx.config;
    const password = passwordStageOf(ctx);
    const captcha = captchaStageOf(ctx);
    const fields: ChallengeFields = {
      primary_action: ctx.flow.designation === 'authentication' ? 'Log in' : 'Continue',
      user_fields: [...config.user_fields],
      password_fields: password !== null,
      captcha_stage: captcha
        ? {
            js_url: captcha.config.js_url,
            site_key: captcha.config.public_key,
            interactive: captcha.config.interactive,
            pending_user: '',
            pending_user_avatar: DEFAULT_AVATAR,
          }
        : null,
      allow_show_password: password !== null && password.config.allow_show_password,
      show_source_labels: config.show_source_labels,
      flow_designation: ctx.flow.designation,
      enable_remember_me: config.enable_remember_me,
    };
    if (Object.hasOwn(ctx.plan.context, PLAN_CONTEXT_APPLICATION)) {
      fields.application_pre = applicationName(ctx.plan.context[PLAN_CONTEXT_APPLICATION]);
    }
    const links = [
      ['enroll_url', config.enrollment_flow, 'enrollment'],
      ['recovery_url', config.recovery_flow, 'recovery'],
      ['passwordless_url', config.passwordless_flow, 'passwordless'],
    ] as const;
    for (const [key, pk, what] of links) {
      if (!pk) continue;
      const flow = ctx.deps.workspace.flowByPk(pk);
      if (flow) fields[key] = flowInterfaceUrl(flow.slug, ctx.query);
      else ctx.log('warning', `The ${what} flow ${pk} does not exist: no ${key}`);
    }
    if (config.sources.length > 0) {
      ctx.log('info', `${config.sources.length} source(s) configured: sources (and their login buttons) are not simulated in Flowbench`);
    }
    fields.sources = [];
    return fields;
  },
  responseSchema: responseObject({
    uid_field: drfChar({ required: true }),
    // `.prefault(undefined)`: zod 4 would otherwise reject an absent optional key before the DRF transform runs.
    password: drfChar({ required: false, allowBlank: true, allowNull: true }).prefault(undefined),
    captcha_token: drfChar({ required: false, allowBlank: true, allowNull: true }).prefault(undefined),
  }) as unknown as z.ZodType<IdentificationResponse>,
  async validate(ctx, response) {
    const uid = response.uid_field;
    const context = ctx.plan.context;
    const found = findIdentifiedUser(ctx, uid);
    if (!found) {
      ctx.log('info', `invalid_login (identifier=${uid}, client_ip=${ctx.request.ip}, action=invalid_identifier)`);
      ctx.log('debug', 'authentik sleeps 90–210 ms here against user enumeration; Flowbench does not wait');
      // identification_failed → reputation −1 for (identifier, IP).
      ctx.deps.reputation.update(uid, ctx.request.ip, -1);
      const placeholder = placeholderUser({ username: uid, email: uid });
      context[PLAN_CONTEXT_PENDING_USER] = userRef(placeholder);
      if (!ctx.config.show_matched_user) context[PLAN_CONTEXT_PENDING_USER_IDENTIFIER] = uid;
      response.pre_user = placeholder;
      if (ctx.config.pretend_user_exists && !ctx.config.password_stage) {
        ctx.log('debug', 'pretend_user_exists: continuing with an unsaved placeholder user');
        return null;
      }
      return failed();
    }
    let user = engineUser(ctx.deps.workspace, found);
    response.pre_user = user;

    const captcha = captchaStageOf(ctx);
    if (captcha) {
      const token = response.captcha_token ?? '';
      if (!token) ctx.log('warning', 'Token not set for captcha attempt');
      const check = await verifyCaptchaToken(ctx.deps, captcha.config, token, ctx.request.ip);
      if (!check.ok) {
        ctx.log('warning', `Captcha token rejected (${check.message}: ${check.detail})`);
        return failed();
      }
    }

    const password = passwordStageOf(ctx);
    if (!password) return null;
    const secret = response.password ?? null;
    if (!secret) ctx.log('warning', 'Password not set for ident+auth attempt');
    const result = await authenticate(ctx as StageContext<unknown>, {
      backends: password.config.backends,
      stage: ctx.stage,
      username: user.username,
      password: secret,
    });
    if (!result) return failed();
    // authentik's authenticate() sets user.backend (the password stage is then skipped by the
    // default flow's `hasattr(pending_user, "backend")` policy).
    user = { ...result.user, backend: result.backend };
    response.pre_user = user;
    return null;
  },
  onValid(ctx, response) {
    const user = response.pre_user;
    if (!user) throw new Error('identification: no user after a valid response');
    ctx.plan.context[PLAN_CONTEXT_PENDING_USER] = userRef(user);
    if (!ctx.config.show_matched_user) ctx.plan.context[PLAN_CONTEXT_PENDING_USER_IDENTIFIER] = response.uid_field;
    return ctx.ok();
  },
});
