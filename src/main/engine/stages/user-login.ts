import { type z } from 'zod';
import { userLoginStage } from '@shared/model/stages';
import { PLAN_CONTEXT_PENDING_USER, PLAN_CONTEXT_SOURCE, PLAN_CONTEXT_USER_BACKEND } from '../context-keys';
import { pythonStr, pythonTruthy } from '../json';
import { durationSeconds } from './duration';
import { drfBoolean, responseObject } from './fields';
import { defineStage, type StageContext, type StageOutcome } from './types';

/** authentik `BACKEND_INBUILT`. */
export const BACKEND_INBUILT = 'authentik.core.auth.InbuiltBackend';
export const NO_PENDING_USER_TO_LOGIN = 'No Pending user to login.';

/** Session keys user_login writes (Django session expiry, authentik's last IP and session bindings). */
export const SESSION_EXPIRY_SECONDS = 'expiry_seconds';
export const SESSION_LAST_IP = 'last_ip';
export const SESSION_BINDING_NET = 'authentik/stages/user_login/binding/net';
export const SESSION_BINDING_GEO = 'authentik/stages/user_login/binding/geo';

type Config = z.output<typeof userLoginStage.config>;

function doLogin(ctx: StageContext<Config>, remember: boolean | null): StageOutcome {
  const context = ctx.plan.context;
  if (!Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER)) {
    // authentik queues the text as a message and calls stage_invalid() without one.
    ctx.message('error', NO_PENDING_USER_TO_LOGIN);
    ctx.log('warning', NO_PENDING_USER_TO_LOGIN);
    return ctx.invalid();
  }
  const backend = Object.hasOwn(context, PLAN_CONTEXT_USER_BACKEND) ? pythonStr(context[PLAN_CONTEXT_USER_BACKEND]) : BACKEND_INBUILT;
  const user = ctx.pendingUser();
  if (!user.is_active) {
    ctx.log('warning', 'User is not active, login will not work.');
    return ctx.invalid();
  }
  if (!user.saved || user.pk === null) {
    // Django's login() saves last_login: an unsaved (placeholder) user raises.
    throw new Error(`Cannot log in user "${user.username}": it was never saved (a placeholder user from identification)`);
  }
  let seconds = durationSeconds(ctx.config.session_duration);
  if (remember) seconds += durationSeconds(ctx.config.remember_me_offset);
  ctx.session.login(user, {
    backend,
    data: {
      // 0 = until the browser closes (Django set_expiry(0)).
      [SESSION_EXPIRY_SECONDS]: seconds,
      [SESSION_LAST_IP]: ctx.request.ip,
      [SESSION_BINDING_NET]: ctx.config.network_binding,
      [SESSION_BINDING_GEO]: ctx.config.geoip_binding,
    },
  });
  ctx.log('debug', `Logged in ${user.username} with ${backend} (session ${seconds === 0 ? 'until the browser closes' : `${seconds} s`})`);
  if (!pythonTruthy(context[PLAN_CONTEXT_SOURCE] ?? null)) ctx.message('success', 'Successfully logged in!');
  if (ctx.config.terminate_other_sessions) ctx.log('info', 'terminate_other_sessions: Flowbench simulates a single session, nothing else to end');
  return ctx.ok();
}

/**
 * `authentik_stages_user_login.userloginstage`: logs the pending user in. With
 * `remember_me_offset` > 0 it first shows `ak-stage-user-login` (with user info) and reads
 * `remember_me` (required boolean); otherwise it logs in on any request. No pending user →
 * stage_invalid; an inactive user → stage_invalid (authentik ≥ 2025.4; 2025.2 only logged a
 * warning and logged the user in anyway).
 */
export const userLoginStageImpl = defineStage<Config, { remember_me: boolean }>({
  model: userLoginStage.model,
  component: 'ak-stage-user-login',
  withUserInfo: true,
  run(ctx) {
    if (durationSeconds(ctx.config.remember_me_offset) > 0) return ctx.useChallenge();
    return doLogin(ctx, null);
  },
  challenge() {
    return {};
  },
  responseSchema: responseObject({ remember_me: drfBoolean({ required: true }) }) as unknown as z.ZodType<{ remember_me: boolean }>,
  onValid(ctx, response) {
    return doLogin(ctx, response.remember_me);
  },
});
