import { userLogoutStage } from '@shared/model/stages';
import { defineStage } from './types';

/**
 * `authentik_stages_user_logout.userlogoutstage`: non-interactive; logs the request user out
 * (Django flushes the session: the stored query goes with it, so a `next` is lost when the
 * logout is the last stage) and passes.
 */
export const userLogoutStageImpl = defineStage({
  model: userLogoutStage.model,
  run(ctx) {
    ctx.log('debug', `Logged out ${ctx.requestUser().is_anonymous ? 'an anonymous session' : ctx.requestUser().username}`);
    ctx.session.logout();
    return ctx.ok();
  },
});
