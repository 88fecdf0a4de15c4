import { z } from 'zod';
import { type StageKindDef } from '../kind-registry';

export const dummyStage = {
  model: 'authentik_stages_dummy.dummystage',
  label: 'Dummy Stage',
  description: 'Shows a button that just continues (testing only).',
  component: 'ak-stage-dummy',
  config: z.object({
    throw_error: z.boolean().default(false),
  }),
} as const satisfies StageKindDef;
