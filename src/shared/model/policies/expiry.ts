import { z } from 'zod';
import { type KindDef } from '../kind-registry';

export const passwordExpiryPolicy = {
  model: 'authentik_policies_expiry.passwordexpirypolicy',
  label: 'Password Expiry Policy',
  description: "Fails when the user's password is older than a number of days.",
  config: z.object({
    days: z.number().int(),
    /** When false, an expired password is also made unusable (side effect). */
    deny_only: z.boolean().default(false),
  }),
} as const satisfies KindDef;
