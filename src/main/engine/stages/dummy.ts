import { type z } from 'zod';
import { dummyStage } from '@shared/model/stages';
import { responseObject } from './fields';
import { defineStage, IgnoredStageError } from './types';

/**
 * `authentik_stages_dummy.dummystage`: challenge `ak-stage-dummy` with the stage's `name`; any
 * response passes. `throw_error` makes building the challenge raise "Test error" (a
 * SentryIgnoredException upstream: `ak-stage-flow-error`, no event).
 */
export const dummyStageImpl = defineStage<z.output<typeof dummyStage.config>>({
  model: dummyStage.model,
  component: 'ak-stage-dummy',
  challenge(ctx) {
    if (ctx.config.throw_error) throw new IgnoredStageError('Test error');
    return { name: ctx.stage.name };
  },
  responseSchema: responseObject({}),
});
