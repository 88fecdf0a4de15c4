import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';
import { userVerification } from './authenticator-validate';

export const residentKeyRequirement = z.enum(['discouraged', 'preferred', 'required']);
export const authenticatorAttachment = z.enum(['platform', 'cross-platform']);

export const authenticatorWebauthnStage = {
  model: 'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage',
  label: 'WebAuthn Authenticator Setup Stage',
  description: 'Registers a security key or passkey (WebAuthn) for the user.',
  component: 'ak-stage-authenticator-webauthn',
  config: z.object({
    user_verification: userVerification.default('preferred'),
    resident_key_requirement: residentKeyRequirement.default('preferred'),
    authenticator_attachment: authenticatorAttachment.nullable().default(null),
    /** WebAuthn device type pks (AAGUIDs) allowed to register; empty = any. */
    device_type_restrictions: z.array(pk).default([]),
    /** [newer] 0 = unlimited registration attempts. */
    max_attempts: z.number().int().min(0).default(0),
    configure_flow: pk.nullable().default(null),
    friendly_name: z.string().nullable().default(null),
  }),
  aliases: ['authentik_stages_authenticator_webauthn.authenticatewebauthnstage'],
} as const satisfies StageKindDef;
