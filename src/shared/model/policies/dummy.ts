import { z } from 'zod';
import { type KindDef } from '../kind-registry';

export const dummyPolicy = {
  model: 'authentik_policies_dummy.dummypolicy',
  label: 'Dummy Policy',
  description: 'Returns a fixed result after a random wait (debugging only).',
  config: z.object({
    result: z.boolean().default(false),
    wait_min: z.number().int().min(0).default(5),
    wait_max: z.number().int().min(0).default(30),
  }),
} as const satisfies KindDef;
