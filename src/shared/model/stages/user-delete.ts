import { z } from 'zod';
import { type StageKindDef } from '../kind-registry';

export const userDeleteStage = {
  model: 'authentik_stages_user_delete.userdeletestage',
  label: 'User Delete Stage',
  description: 'Deletes the pending (authenticated) user and ends their session.',
  component: null,
  config: z.object({}),
} as const satisfies StageKindDef;
