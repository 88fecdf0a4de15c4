import { z } from 'zod';
import { type StageKindDef } from '../kind-registry';

export const denyStage = {
  model: 'authentik_stages_deny.denystage',
  label: 'Deny Stage',
  description: 'Stops the flow with a message.',
  component: null,
  config: z.object({
    deny_message: z.string().default(''),
  }),
} as const satisfies StageKindDef;
