import { type z } from 'zod';
import { type JsonValue } from '@shared/model';
import { emailStage } from '@shared/model/stages';
import { PLAN_CONTEXT_EMAIL, PLAN_CONTEXT_EMAIL_SENT, PLAN_CONTEXT_IS_RESTORED, PLAN_CONTEXT_PENDING_USER } from '../context-keys';
import { flowInterfaceUrl } from '../executor/urls';
import { isJsonObject, pythonStr, pythonTruthy } from '../json';
import { type EngineUser, type OutboxMessage } from '../ports';
import { durationSeconds } from './duration';
import { responseObject } from './fields';
import { requirePort } from './require-port';
import { sha256Hex } from './sha256';
import { defineStage, type StageContext, type StageOutcome } from './types';

type Config = z.output<typeof emailStage.config>;

/** The executor's query key for flow tokens (`QS_KEY_TOKEN`). */
const QS_KEY_TOKEN = 'flow_token';
/** authentik `EMAIL_RECOVERY_CACHE_KEY` (the recovery rate limit, per hashed email). */
export const EMAIL_RECOVERY_CACHE_KEY = 'goauthentik.io/stages/email/stage/';
/** What Django's email settings use as sender when `use_global_settings` is on (authentik's default `email.from`). */
export const GLOBAL_EMAIL_FROM = 'authentik@localhost';

export const EMAIL_SENT_ERROR = 'email-sent';
export const EMAIL_NO_PENDING_USER = 'No pending user.';
export const EMAIL_VERIFIED = 'Successfully verified Email.';
export const EMAIL_SENT_MESSAGE = 'Email Successfully sent.';
export const EMAIL_NOTICE = 'Flowbench sends no email: the message is in the local outbox; open its link to continue.';

export function emailRateLimitedMessage(minutes: number): string {
  return `Too many account verification attempts. Please try again after ${minutes} minutes.`;
}

/** Plain-text stand-ins for authentik's templates (Flowbench does not render the HTML templates). */
function renderBody(template: string, user: EngineUser, url: string, expires: string): string {
  const name = user.name || user.username;
  let intro: string;
  if (template === 'email/password_reset.html') intro = 'A password reset was requested for your account. Open this link to choose a new password:';
  else if (template === 'email/account_confirmation.html') intro = 'Confirm your email address to finish setting up your account:';
  else intro = 'Open this link to continue:';
  return [
    `Hi ${name},`,
    '',
    intro,
    '',
    url,
    '',
    `The link is valid until ${expires}.`,
    '',
    `-- Flowbench: a plain-text stand-in for the template "${template}"; nothing was sent.`,
  ].join('\n');
}

/** `EmailStageView.send_email`; returns the message, or null when the stage only pretends. */
function sendEmail(ctx: StageContext<Config>): OutboxMessage | null {
  const user = ctx.pendingUser();
  if ((user.pk === null || !user.saved) && ctx.flow.designation === 'recovery') {
    // authentik: an unknown identifier in a recovery flow — pretend, to not disclose whether the user exists.
    ctx.log('info', 'Recovery flow with an unknown user: pretending to send the email (nothing in the outbox)');
    return null;
  }
  if (user.pk === null || !user.saved) throw new Error(`Cannot create an email flow token for the unsaved user "${user.username}"`);
  const outbox = requirePort(ctx.deps, 'outbox');
  const override = ctx.plan.context[PLAN_CONTEXT_EMAIL];
  const to = pythonTruthy(override ?? null) ? pythonStr(override) : user.email;
  // token_expiry + 1 minute ("django timesince always rounds down").
  const expiresIn = durationSeconds(ctx.config.token_expiry) + 60;
  const key = ctx.createFlowToken({ user, expiresInSeconds: expiresIn, revokeOnExecution: true });
  const expires = new Date(ctx.deps.clock.now() + expiresIn * 1000).toISOString();
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.query)) if (k !== QS_KEY_TOKEN) query[k] = v;
  query[QS_KEY_TOKEN] = key;
  const url = flowInterfaceUrl(ctx.flow.slug, query);
  if (!to) ctx.log('warning', `The pending user "${user.username}" has no email address and context.email is not set: the message has no recipient`);
  const message = outbox.send({
    from: ctx.config.use_global_settings ? GLOBAL_EMAIL_FROM : ctx.config.from_address,
    to,
    to_name: user.name,
    subject: ctx.config.subject,
    template: ctx.config.template,
    body: renderBody(ctx.config.template, user, url, expires),
    url,
    link: { flow: ctx.flow.slug, query },
    stage: ctx.stage.name,
    flow_slug: ctx.flow.slug,
  });
  ctx.log('info', `Email "${message.subject}" to ${to || '(no address)'} put in the outbox (link valid until ${expires})`);
  return message;
}

/**
 * `_is_rate_limited` [newer than 2025.2, fields `recovery_max_attempts` / `recovery_cache_timeout`]:
 * resends per hashed email within the window, kept in the Cache port. Returns the minutes to
 * wait, or null (and records the attempt).
 */
function rateLimited(ctx: StageContext<Config>): number | null {
  const user = ctx.pendingUser();
  const key = EMAIL_RECOVERY_CACHE_KEY + sha256Hex(user.email.toLowerCase());
  const stored = ctx.deps.cache.get(key);
  const attempts = Array.isArray(stored) ? stored.filter((a): a is number => typeof a === 'number') : [];
  const window = durationSeconds(ctx.config.recovery_cache_timeout);
  const now = ctx.deps.clock.now() / 1000;
  const recent = attempts.filter((a) => a > now - window);
  if (recent.length >= ctx.config.recovery_max_attempts) {
    if (recent.length === 0) throw new Error('recovery_max_attempts is 0: authentik fails computing the wait (min() of no attempts)');
    const retryAfter = Math.min(...recent) + window - now;
    return Math.max(1, Math.ceil(retryAfter / 60));
  }
  recent.push(now);
  ctx.deps.cache.set(key, recent as JsonValue, Math.trunc(window));
  return null;
}

/** The user a restored flow token was issued for (`is_restored.user`), or null. */
function restoredTokenUser(value: JsonValue | undefined): { present: boolean; userPk: number | null } {
  if (!isJsonObject(value) || typeof value.$flow_token !== 'string') return { present: pythonTruthy(value ?? null), userPk: null };
  const user = value.user;
  return { present: true, userPk: isJsonObject(user) && typeof user.$user === 'number' ? user.$user : null };
}

function onGet(ctx: StageContext<Config>): StageOutcome {
  const context = ctx.plan.context;
  const restored = restoredTokenUser(context[PLAN_CONTEXT_IS_RESTORED]);
  const user = ctx.pendingUser();
  if (restored.present) {
    if (restored.userPk !== user.pk) {
      ctx.log('warning', 'Flow token for non-matching user, denying request');
      return ctx.invalid();
    }
    ctx.message('success', EMAIL_VERIFIED);
    if (ctx.config.activate_user_on_success && user.pk !== null) {
      const pk = user.pk;
      ctx.sideEffect('activate_user', `is_active of ${user.username} = true`, (writer) => {
        const stored = ctx.deps.workspace.userByPk(pk);
        if (!stored) return;
        const { username, name, email, type, path, attributes, groups } = stored;
        writer.updateUser(pk, { username, name, email, is_active: true, type, path, attributes, groups });
      });
    }
    return ctx.ok();
  }
  if (!Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER)) {
    ctx.log('debug', 'No pending user');
    ctx.message('error', EMAIL_NO_PENDING_USER);
    return ctx.invalid();
  }
  if (!Object.hasOwn(context, PLAN_CONTEXT_EMAIL_SENT)) {
    sendEmail(ctx);
    context[PLAN_CONTEXT_EMAIL_SENT] = true;
  }
  return ctx.useChallenge();
}

/**
 * `authentik_stages_email.emailstage`: no SMTP — messages go to the `Outbox` port. On GET:
 * a plan restored from the emailed link (`is_restored`, the token's user = the pending user)
 * passes (optionally activating the user); otherwise the mail is sent once (`email_sent`) with
 * a link `/if/flow/<slug>/?…&flow_token=<key>` (token valid `token_expiry` + 1 minute, revoked
 * on use) and `ak-stage-email` is shown. In recovery flows an unsaved (unknown) pending user
 * gets no mail but the same screen. Every POST is invalid (`email-sent`) and re-sends the mail
 * (rate limited per `recovery_max_attempts` / `recovery_cache_timeout`).
 */
export const emailStageImpl = defineStage<Config, Record<string, unknown>>({
  model: emailStage.model,
  component: 'ak-stage-email',
  run(ctx) {
    if (ctx.method === 'GET') return onGet(ctx);
    return ctx.useChallenge();
  },
  challenge() {
    return { flowbench_notice: EMAIL_NOTICE };
  },
  responseSchema: responseObject({}),
  validate(ctx) {
    // The response serializer always raises "email-sent"; challenge_invalid re-sends — but a
    // binding that restarts on invalid responses never reaches challenge_invalid.
    if (ctx.binding.invalid_response_action === 'retry') {
      const minutes = rateLimited(ctx);
      if (minutes !== null) {
        ctx.message('error', emailRateLimitedMessage(minutes));
      } else if (!Object.hasOwn(ctx.plan.context, PLAN_CONTEXT_PENDING_USER)) {
        ctx.message('error', EMAIL_NO_PENDING_USER);
      } else {
        sendEmail(ctx);
        ctx.message('success', EMAIL_SENT_MESSAGE);
      }
    }
    return { non_field_errors: [{ string: EMAIL_SENT_ERROR, code: EMAIL_SENT_ERROR }] };
  },
});
