import { z } from 'zod';
import { type JsonValue } from '@shared/model';
import { passwordStage } from '@shared/model/stages';
import {
  PLAN_CONTEXT_METHOD,
  PLAN_CONTEXT_METHOD_ARGS,
  PLAN_CONTEXT_PENDING_USER,
  PLAN_CONTEXT_USER_BACKEND,
} from '../context-keys';
import { CLEANSED_SUBSTITUTE, isJsonObject, uuidHex } from '../json';
import { type EngineUser } from '../ports';
import { engineUser, eventUser, userRef } from '../users';
import { drfChar, fieldError, issuesToResponseErrors, responseObject } from './fields';
import { defineStage, StageInvalid, type StageContext } from './types';
import { BACKEND_INBUILT } from './user-login';

/** authentik's password backends (dotted paths, as stored in `backends`). */
export const BACKEND_TOKEN = 'authentik.core.auth.TokenBackend';
export const BACKEND_LDAP = 'authentik.sources.ldap.auth.LDAPBackend';
export const BACKEND_KERBEROS = 'authentik.sources.kerberos.auth.KerberosBackend';

/** The reputation score of the pending user when the password challenge was first shown. */
export const PLAN_CONTEXT_INITIAL_SCORE = 'goauthentik.io/stages/password/initial_score';
export const INVALID_PASSWORD = 'Invalid password';
export const NO_PENDING_USER = 'No pending user';

/** A stage as authentik's `sanitize_item(model)` puts it into an event. */
export function stageEventDict(stage: { pk: string | null; name: string; kind: string }): Record<string, JsonValue> {
  const [app = '', modelName = ''] = stage.kind.split('.');
  return { pk: stage.pk ? uuidHex(stage.pk) : null, app, model_name: modelName, name: stage.name };
}

/**
 * authentik's backends `set_method`: `auth_method` / `auth_method_args` are set (setdefault,
 * then the args updated) on the flow plan's context, so a later login event records them.
 */
function setMethod(ctx: StageContext<unknown>, method: string, args: Record<string, JsonValue> = {}): void {
  const context = ctx.plan.context;
  if (!Object.hasOwn(context, PLAN_CONTEXT_METHOD)) context[PLAN_CONTEXT_METHOD] = method;
  if (!Object.hasOwn(context, PLAN_CONTEXT_METHOD_ARGS) || !isJsonObject(context[PLAN_CONTEXT_METHOD_ARGS])) {
    context[PLAN_CONTEXT_METHOD_ARGS] = {};
  }
  Object.assign(context[PLAN_CONTEXT_METHOD_ARGS] as Record<string, JsonValue>, args);
}

/** Django `ModelBackend.authenticate` over the workspace, through the `passwords` port. */
async function inbuiltBackend(ctx: StageContext<unknown>, username: string, password: string | null): Promise<EngineUser | null> {
  if (password === null) return null;
  // get_by_natural_key: the exact username.
  const found = ctx.deps.workspace.findUsers({ username })[0];
  if (!found) return null;
  const verifier = ctx.deps.passwords ?? null;
  if (!verifier) {
    ctx.log('warning', 'InbuiltBackend: this run has no password verifier (deps.passwords), so no password can match');
    return null;
  }
  if (!(await verifier.verify(found.pk, password))) return null;
  if (!found.is_active) {
    // ModelBackend.user_can_authenticate: inactive users are refused like a wrong password.
    ctx.log('info', `InbuiltBackend: the password of ${found.username} is right, but the user is inactive (Django refuses inactive users)`);
    return null;
  }
  setMethod(ctx, 'password');
  return engineUser(ctx.deps.workspace, found);
}

/**
 * authentik's `authenticate(request, backends, stage, username=, password=)`: the backends in
 * order, the first user returned wins (its backend path is returned with it); when none
 * authenticates, the `login_failed` signal fires: a `login_failed` event (credentials cleansed)
 * and reputation −1 for (username, client IP).
 */
export async function authenticate(
  ctx: StageContext<unknown>,
  input: {
    backends: readonly string[];
    /** The stage in whose name authentication runs (the event's `stage`). */
    stage: { pk: string | null; name: string; kind: string };
    username: string;
    password: string | null;
  },
): Promise<{ user: EngineUser; backend: string } | null> {
  for (const backend of input.backends) {
    ctx.log('debug', `Attempting authentication... (backend=${backend})`);
    let user: EngineUser | null = null;
    switch (backend) {
      case BACKEND_INBUILT:
        user = await inbuiltBackend(ctx, input.username, input.password);
        break;
      case BACKEND_TOKEN:
        ctx.log('info', 'TokenBackend: app passwords (app-password tokens) are not simulated in Flowbench; none is configured, so none matches');
        break;
      case BACKEND_LDAP:
        ctx.log('warning', 'LDAPBackend skipped: LDAP sources cannot be reached offline (never treated as a success)');
        break;
      case BACKEND_KERBEROS:
        ctx.log('warning', 'KerberosBackend skipped: Kerberos sources cannot be reached offline (never treated as a success)');
        break;
      default:
        ctx.log('warning', `Failed to import backend (path=${backend})`);
        continue;
    }
    if (user) {
      ctx.log('info', `Successful authentication (user=${user.username}, backend=${backend})`);
      return { user, backend };
    }
    ctx.log('debug', `Backend returned nothing, continuing (backend=${backend})`);
  }
  recordLoginFailed(ctx, input.username, input.stage);
  return null;
}

/** The `login_failed` signal's receivers: the event (credentials cleansed), reputation −1. */
export function recordLoginFailed(ctx: StageContext<unknown>, username: string, stage: { pk: string | null; name: string; kind: string }): void {
  const known = ctx.deps.workspace.findUsers({ username })[0];
  const user = known ? engineUser(ctx.deps.workspace, known) : ctx.requestUser();
  ctx.deps.events.append({
    action: 'login_failed',
    user: eventUser(user),
    client_ip: ctx.request.ip,
    app: 'authentik.events.signals',
    model: null,
    context: { username, password: CLEANSED_SUBSTITUTE, stage: stageEventDict(stage) },
  });
  ctx.deps.reputation.update(username, ctx.request.ip, -1);
  ctx.log('info', `login_failed: reputation of (${username}, ${ctx.request.ip}) −1`);
}

type Config = z.output<typeof passwordStage.config>;

const passwordField = drfChar({ required: true, trimWhitespace: false });

function reputationScore(ctx: StageContext<Config>): number {
  return ctx.deps.reputation.score({ identifier: ctx.pendingUser().username });
}

/**
 * `authentik_stages_password.passwordstage` (`ak-stage-password`, with user info). Shows
 * `allow_show_password` (no `recovery_url`: Flowbench has no brand with a recovery flow) and
 * remembers the pending user's reputation score the first time it is shown. The response's
 * `password` (whitespace kept) is checked with the configured backends against the pending
 * user's username:
 * - InbuiltBackend: the workspace user's password through the `passwords` port (an inactive
 *   user is refused like a wrong password, as Django's ModelBackend does);
 * - TokenBackend: app passwords are not simulated — never matches;
 * - LDAP / Kerberos: unreachable offline — skipped with a log line, never a success.
 * Success: `pending_user` = the authenticated user, `user_backend` = its backend, and
 * `auth_method: password` (setdefault). Failure: field error "Invalid password" (`invalid`),
 * `login_failed` (event, reputation −1). Any invalid response cancels the stage with
 * `stage_invalid("Invalid password")` once the score has dropped by
 * `failed_attempts_before_cancel` since the challenge was first shown (authentik ≥ 2025.x;
 * older releases counted tries in the session). No pending user → `stage_invalid`.
 */
export const passwordStageImpl = defineStage<Config, { password: unknown }>({
  model: passwordStage.model,
  component: 'ak-stage-password',
  withUserInfo: true,
  challenge(ctx) {
    if (!Object.hasOwn(ctx.plan.context, PLAN_CONTEXT_INITIAL_SCORE)) ctx.plan.context[PLAN_CONTEXT_INITIAL_SCORE] = reputationScore(ctx);
    return { allow_show_password: ctx.config.allow_show_password };
  },
  // The field is checked in validate(): authentik's challenge_invalid (the cancel rule) sees
  // every invalid response, a blank password included.
  responseSchema: responseObject({ password: z.unknown().optional() }) as unknown as z.ZodType<{ password: unknown }>,
  async validate(ctx, response) {
    let errors = null;
    const parsed = passwordField.safeParse(response.password);
    if (!parsed.success) {
      errors = issuesToResponseErrors(parsed.error.issues.map((issue) => ({ ...issue, path: ['password'] })));
    } else {
      const context = ctx.plan.context;
      if (!Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER)) throw new StageInvalid(NO_PENDING_USER);
      const pending = ctx.pendingUser();
      if (!pending.saved) ctx.log('debug', `The pending user ${pending.username} is a placeholder (never saved): the backends look it up by username`);
      const result = await authenticate(ctx as StageContext<unknown>, {
        backends: ctx.config.backends,
        stage: ctx.stage,
        username: pending.username,
        password: parsed.data as string,
      });
      if (result) {
        // authentik's authenticate() sets user.backend; it travels with the pending user.
        context[PLAN_CONTEXT_PENDING_USER] = userRef({ ...result.user, backend: result.backend });
        context[PLAN_CONTEXT_USER_BACKEND] = result.backend;
        return null;
      }
      ctx.log('info', 'Invalid credentials');
      errors = fieldError('password', INVALID_PASSWORD, 'invalid');
    }
    // challenge_invalid: the cancel rule (reputation delta since the challenge was first shown).
    const context = ctx.plan.context;
    let initial = context[PLAN_CONTEXT_INITIAL_SCORE];
    if (typeof initial !== 'number') {
      initial = reputationScore(ctx);
      context[PLAN_CONTEXT_INITIAL_SCORE] = initial;
    }
    const current = reputationScore(ctx);
    if (initial - current >= ctx.config.failed_attempts_before_cancel) {
      ctx.log('debug', `User has exceeded maximum tries (score ${initial} → ${current}, failed_attempts_before_cancel=${ctx.config.failed_attempts_before_cancel})`);
      throw new StageInvalid(INVALID_PASSWORD);
    }
    return errors;
  },
  onValid(ctx) {
    if (!Object.hasOwn(ctx.plan.context, PLAN_CONTEXT_PENDING_USER)) return ctx.invalid();
    return ctx.ok();
  },
});
