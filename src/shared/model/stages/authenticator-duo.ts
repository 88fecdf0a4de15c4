import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const authenticatorDuoStage = {
  model: 'authentik_stages_authenticator_duo.authenticatorduostage',
  label: 'Duo Authenticator Setup Stage',
  description: 'Enrolls the user with Duo (push, phone) through the Duo Auth API.',
  component: 'ak-stage-authenticator-duo',
  config: z.object({
    api_hostname: z.string().min(1),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    /** Admin API credentials, only needed to import existing Duo devices. */
    admin_integration_key: z.string().default(''),
    admin_secret_key: z.string().default(''),
    configure_flow: pk.nullable().default(null),
    friendly_name: z.string().nullable().default(null),
  }),
  secrets: ['client_secret', 'admin_secret_key'],
} as const satisfies StageKindDef;
