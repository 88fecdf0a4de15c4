import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const smsProvider = z.enum(['twilio', 'generic']);
export const smsAuthType = z.enum(['basic', 'bearer']);

export const authenticatorSmsStage = {
  model: 'authentik_stages_authenticator_sms.authenticatorsmsstage',
  label: 'SMS Authenticator Setup Stage',
  description: "Verifies the user's phone number with a code sent by SMS.",
  component: 'ak-stage-authenticator-sms',
  config: z.object({
    provider: smsProvider,
    from_number: z.string().min(1),
    /** Twilio account SID, or the URL the generic provider posts to. */
    account_sid: z.string().min(1),
    /** Twilio auth token, or the username / bearer token of the generic provider. */
    auth: z.string().min(1),
    auth_password: z.string().default(''),
    auth_type: smsAuthType.default('basic'),
    /** Keep only a hash of the number (enrollment verification, not a usable device). */
    verify_only: z.boolean().default(false),
    /** Webhook mapping (property mapping pk) that rewrites the generic provider's payload. */
    mapping: pk.nullable().default(null),
    configure_flow: pk.nullable().default(null),
    friendly_name: z.string().nullable().default(null),
  }),
  secrets: ['auth', 'auth_password'],
} as const satisfies StageKindDef;
