import { z } from 'zod';
import { durationString, pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const deviceClass = z.enum(['static', 'totp', 'webauthn', 'duo', 'sms', 'email']);
export const notConfiguredAction = z.enum(['skip', 'deny', 'configure']);
export const userVerification = z.enum(['required', 'preferred', 'discouraged']);

export const authenticatorValidateStage = {
  model: 'authentik_stages_authenticator_validate.authenticatorvalidatestage',
  label: 'Authenticator Validation Stage',
  description: "Asks for a second factor from one of the user's enrolled devices.",
  component: 'ak-stage-authenticator-validate',
  config: z.object({
    not_configured_action: notConfiguredAction.default('skip'),
    /** Default: every class (a fresh array per parse). */
    device_classes: z.array(deviceClass).default(() => [...deviceClass.options]),
    /** Stage pks offered for enrollment when not_configured_action is `configure`. */
    configuration_stages: z.array(pk).default([]),
    last_auth_threshold: durationString.default('seconds=0'),
    webauthn_user_verification: userVerification.default('preferred'),
    /** WebAuthn device type pks (AAGUIDs). */
    webauthn_allowed_device_types: z.array(pk).default([]),
  }),
} as const satisfies StageKindDef;
