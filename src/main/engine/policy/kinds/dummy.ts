import { dummyPolicy } from '@shared/model/policies';
import { type KindResult } from '../types';
import { defineKind } from './types';

/**
 * `authentik_policies_dummy.dummypolicy` (debug only): waits a random whole number of seconds
 * in `[wait_min, wait_max)` on the Clock port, then returns `result` with the message "dummy".
 * An empty range (wait_min ≥ wait_max) raises like Python's `randrange`: a crash, failing.
 */
export const dummyKind = defineKind({
  model: dummyPolicy.model,
  config: dummyPolicy.config,
  async passes(ctx, config): Promise<KindResult> {
    if (config.wait_min >= config.wait_max) {
      throw new RangeError(`empty range in randrange(${config.wait_min}, ${config.wait_max})`);
    }
    const wait = ctx.deps.random.int(config.wait_min, config.wait_max);
    ctx.log('info', `Policy waiting (delay=${wait}s)`);
    await ctx.deps.clock.sleep(wait * 1000);
    return { passing: config.result, messages: ['dummy'] };
  },
});
