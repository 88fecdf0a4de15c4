import { type z } from 'zod';
import { denyStage } from '@shared/model/stages';
import { PLAN_CONTEXT_DENY_MESSAGE } from '../context-keys';
import { pythonStr } from '../json';
import { defineStage } from './types';

/**
 * `authentik_stages_deny.denystage`: non-interactive, `stage_invalid(context.deny_message if
 * the key is set, else stage.deny_message)`. The model default is `""`, so an unconfigured deny
 * stage shows authentik's "Unknown error". Being `stage_invalid`, it honours the binding's
 * `invalid_response_action` (restart / restart_with_context).
 */
export const denyStageImpl = defineStage<z.output<typeof denyStage.config>>({
  model: denyStage.model,
  run(ctx) {
    const context = ctx.plan.context;
    const message = Object.hasOwn(context, PLAN_CONTEXT_DENY_MESSAGE) ? context[PLAN_CONTEXT_DENY_MESSAGE] : ctx.config.deny_message;
    return ctx.invalid(message === null || message === undefined ? null : pythonStr(message));
  },
});
