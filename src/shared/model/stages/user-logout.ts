import { z } from 'zod';
import { type StageKindDef } from '../kind-registry';

export const userLogoutStage = {
  model: 'authentik_stages_user_logout.userlogoutstage',
  label: 'User Logout Stage',
  description: 'Ends the current session without asking anything.',
  component: null,
  config: z.object({}),
} as const satisfies StageKindDef;
