import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const identificationUserField = z.enum(['email', 'username', 'upn']);

export const identificationStage = {
  model: 'authentik_stages_identification.identificationstage',
  label: 'Identification Stage',
  description: 'Asks for a username, email or UPN and finds the pending user.',
  component: 'ak-stage-identification',
  config: z.object({
    // authentik has no model default (blank allowed); we default to "no fields" so a new
    // stage is valid, which matches no user until fields are chosen.
    user_fields: z.array(identificationUserField).default([]),
    password_stage: pk.nullable().default(null),
    captcha_stage: pk.nullable().default(null),
    case_insensitive_matching: z.boolean().default(true),
    show_matched_user: z.boolean().default(true),
    pretend_user_exists: z.boolean().default(true),
    enrollment_flow: pk.nullable().default(null),
    recovery_flow: pk.nullable().default(null),
    passwordless_flow: pk.nullable().default(null),
    sources: z.array(pk).default([]),
    show_source_labels: z.boolean().default(false),
    /** [newer, ≥2025.4] */
    enable_remember_me: z.boolean().default(false),
    /** [newer] WebAuthn setup stage used for passkey autofill (conditional UI). */
    webauthn_stage: pk.nullable().default(null),
  }),
} as const satisfies StageKindDef;
