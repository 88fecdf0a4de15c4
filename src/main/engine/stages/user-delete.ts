import { userDeleteStage } from '@shared/model/stages';
import { PLAN_CONTEXT_PENDING_USER } from '../context-keys';
import { defineStage } from './types';

export const NO_PENDING_USER_TO_DELETE = 'No Pending User.';

/**
 * `authentik_stages_user_delete.userdeletestage`: non-interactive; the pending user (else the
 * request user) must be authenticated (else stage_invalid "No Pending User."); logs the session
 * out, deletes the user through the writer, removes `pending_user` from the context, passes.
 * A placeholder (unsaved) user cannot be deleted: Django raises, authentik shows a flow error.
 */
export const userDeleteStageImpl = defineStage({
  model: userDeleteStage.model,
  run(ctx) {
    const user = ctx.pendingUser();
    if (user.is_anonymous) {
      ctx.log('debug', NO_PENDING_USER_TO_DELETE);
      return ctx.invalid(NO_PENDING_USER_TO_DELETE);
    }
    if (!user.saved || user.pk === null) {
      throw new Error("User object can't be deleted because its id attribute is set to None.");
    }
    const pk = user.pk;
    ctx.session.logout();
    ctx.sideEffect('delete_user', `Delete user ${user.username} (pk ${pk})`, (writer) => writer.deleteUser(pk));
    delete ctx.plan.context[PLAN_CONTEXT_PENDING_USER];
    return ctx.ok();
  },
});
