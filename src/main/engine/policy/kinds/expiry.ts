import { passwordExpiryPolicy } from '@shared/model/policies';
import { type KindResult } from '../types';
import { defineKind } from './types';

const DAY_MS = 86_400_000;

/** Python `timedelta.days` of a duration in milliseconds (floors towards -inf). */
const days = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * `authentik_policies_expiry.passwordexpirypolicy`: passes while fewer than `days` whole days
 * have passed since `password_change_date`. When expired and not `deny_only`, upstream also
 * sets an unusable password on the user (a side effect, applied through the writer port and
 * recorded in the trace logs). A user without a password change date (anonymous, an unsaved
 * placeholder) makes upstream crash with a TypeError: here too, a crash (failing).
 */
export const expiryKind = defineKind({
  model: passwordExpiryPolicy.model,
  config: passwordExpiryPolicy.config,
  mayWait: () => false,
  passes(ctx, config): KindResult {
    const user = ctx.request.user;
    if (!user.password_change_date) {
      throw new TypeError(`user "${user.username}" has no password_change_date`);
    }
    const changed = Date.parse(user.password_change_date);
    if (Number.isNaN(changed)) throw new TypeError(`invalid password_change_date "${user.password_change_date}"`);
    const now = ctx.deps.clock.now();
    const actualDays = days(now - changed);
    const daysSinceExpiry = days(now - (changed + config.days * DAY_MS));
    if (actualDays < config.days) return { passing: true, messages: [] };
    if (config.deny_only) return { passing: false, messages: ['Password has expired.'] };
    if (user.saved && user.pk !== null && ctx.deps.writer) {
      ctx.deps.writer.setUnusablePassword(user.pk);
      ctx.log('info', `side effect: set an unusable password on user ${user.pk} (${user.username})`);
    } else {
      ctx.log('warning', `side effect NOT applied: would set an unusable password on user "${user.username}" (${ctx.deps.writer ? 'user not saved' : 'no workspace writer'})`);
    }
    return {
      passing: false,
      messages: [`Password expired ${daysSinceExpiry} days ago. Please update your password.`],
    };
  },
});
