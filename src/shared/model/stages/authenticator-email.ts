import { z } from 'zod';
import { durationString, pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const authenticatorEmailStage = {
  model: 'authentik_stages_authenticator_email.authenticatoremailstage',
  label: 'Email Authenticator Setup Stage',
  description: 'Enrolls an email address that receives one-time sign-in codes.',
  component: 'ak-stage-authenticator-email',
  config: z.object({
    use_global_settings: z.boolean().default(false),
    host: z.string().default('localhost'),
    port: z.number().int().default(25),
    username: z.string().default(''),
    password: z.string().default(''),
    use_tls: z.boolean().default(false),
    use_ssl: z.boolean().default(false),
    timeout: z.number().int().default(10),
    from_address: z.string().default('system@authentik.local'),
    token_expiry: durationString.default('minutes=30'),
    subject: z.string().default('authentik Sign-in code'),
    template: z.string().min(1).default('email/email_otp.html'),
    configure_flow: pk.nullable().default(null),
    friendly_name: z.string().nullable().default(null),
  }),
  secrets: ['password'],
} as const satisfies StageKindDef;
