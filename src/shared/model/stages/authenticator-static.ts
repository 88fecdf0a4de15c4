import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const authenticatorStaticStage = {
  model: 'authentik_stages_authenticator_static.authenticatorstaticstage',
  label: 'Static Authenticator Setup Stage',
  description: 'Generates single-use backup codes for the user.',
  component: 'ak-stage-authenticator-static',
  config: z.object({
    token_count: z.number().int().min(0).default(6),
    token_length: z.number().int().min(0).default(12),
    configure_flow: pk.nullable().default(null),
    friendly_name: z.string().nullable().default(null),
  }),
} as const satisfies StageKindDef;
