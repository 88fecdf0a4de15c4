import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const totpDigits = z.union([z.literal(6), z.literal(8)]);

export const authenticatorTotpStage = {
  model: 'authentik_stages_authenticator_totp.authenticatortotpstage',
  label: 'TOTP Authenticator Setup Stage',
  description: 'Enrolls a time-based one-time password app for the user.',
  component: 'ak-stage-authenticator-totp',
  config: z.object({
    digits: totpDigits,
    configure_flow: pk.nullable().default(null),
    friendly_name: z.string().nullable().default(null),
  }),
} as const satisfies StageKindDef;
