import { z } from 'zod';
import { type KindDef } from '../kind-registry';

export const reputationPolicy = {
  model: 'authentik_policies_reputation.reputationpolicy',
  label: 'Reputation Policy',
  description: 'Passes when the client IP or username has a bad reputation (score ≤ threshold).',
  config: z.object({
    check_ip: z.boolean().default(true),
    check_username: z.boolean().default(true),
    threshold: z.number().int().default(-5),
  }),
} as const satisfies KindDef;
