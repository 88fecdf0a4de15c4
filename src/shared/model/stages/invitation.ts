import { z } from 'zod';
import { type StageKindDef } from '../kind-registry';

export const invitationStage = {
  model: 'authentik_stages_invitation.invitationstage',
  label: 'Invitation Stage',
  description: "Applies an invitation token's fixed data to the flow, or refuses without one.",
  component: null,
  config: z.object({
    continue_flow_without_invitation: z.boolean().default(false),
  }),
} as const satisfies StageKindDef;
