import { z } from 'zod';
import { type Flow } from '@shared/model';
import { redirectStage } from '@shared/model/stages';
import { PLAN_CONTEXT_REDIRECT_STAGE_TARGET } from '../context-keys';
import { pythonStr, pythonTruthy } from '../json';
import { IN_MEMORY_REDIRECT_KIND } from '../executor/live-plan';
import { urlNetloc } from '../executor/urls';
import { drfChar, responseObject } from './fields';
import { defineStage, StageInvalid, type StageContext } from './types';

/** The scheme of `redirect_stage_target` values that name a flow: `ak-flow://<slug>`. */
export const URL_SCHEME_FLOW = 'ak-flow';
export const NO_REDIRECT_TARGET = "No target found for Redirect stage. The stage's target_flow may have been deleted.";

type Config = z.output<typeof redirectStage.config>;

/** `RedirectStageView.parse_target`: a flow for `ak-flow://<slug>` (null when unknown), else the URL. */
function parseTarget(ctx: StageContext<Config>, target: string): string | Flow | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(target)?.[1]?.toLowerCase();
  if (scheme !== URL_SCHEME_FLOW) return target;
  const slug = urlNetloc(target);
  const flow = ctx.deps.workspace.flowBySlug(slug);
  if (!flow) ctx.log('warning', `Flow set by ${PLAN_CONTEXT_REDIRECT_STAGE_TARGET} does not exist: ${slug}`);
  return flow;
}

/**
 * `authentik_stages_redirect.redirectstage` (2024.12+): challenge `xak-flow-redirect {to}`.
 * Target: `context.redirect_stage_target` (`ak-flow://<slug>` = flow mode; an unknown slug
 * falls back), else the stage's static URL or flow. Flow mode plans the target flow (cache off,
 * context kept or not, `is_redirected` set), makes it the session plan and points at
 * `/if/flow/<slug>/`; a target that does not apply → stage_invalid. A response `{to}` passes.
 */
export const redirectStageImpl = defineStage<Config, { to: string }>({
  model: redirectStage.model,
  component: 'xak-flow-redirect',
  async challenge(ctx) {
    let target: string | Flow | null = '';
    const override = ctx.plan.context[PLAN_CONTEXT_REDIRECT_STAGE_TARGET] ?? '';
    if (pythonTruthy(override)) target = parseTarget(ctx, pythonStr(override));
    if (!target) {
      if (ctx.config.mode === 'static') target = ctx.config.target_static;
      if (ctx.config.mode === 'flow') target = ctx.config.target_flow ? ctx.deps.workspace.flowByPk(ctx.config.target_flow) : null;
    }
    let to: string;
    if (typeof target === 'string') to = target;
    else if (target) to = await ctx.switchFlow(target, { keepContext: ctx.config.keep_context });
    else to = '';
    if (!to) throw new StageInvalid(NO_REDIRECT_TARGET);
    return { to };
  },
  responseSchema: responseObject({ to: drfChar() }) as unknown as z.ZodType<{ to: string }>,
});

/**
 * authentik's in-memory `RedirectStage` (flows/stage.py), put into a plan by
 * `flow_plan.redirect(url)`: shows `xak-flow-redirect {to: destination}`; a response shows the
 * same challenge again (the browser has left).
 */
export const inMemoryRedirectStageImpl = defineStage<{ destination: string }>({
  model: IN_MEMORY_REDIRECT_KIND,
  component: 'xak-flow-redirect',
  config: z.object({ destination: z.string().default('/') }),
  challenge(ctx) {
    return { to: ctx.config.destination };
  },
  responseSchema: responseObject({}),
  onValid(ctx) {
    return ctx.showChallenge();
  },
});
