import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const identificationStage = {
  model: 'authentik_stages_identification.identificationstage',
  label: 'Identification Stage',
  description: 'Asks for a username, email or UPN and finds the pending user.',
  component: 'ak-stage-identification',
  config: z.object({
    user_fields: z.array(z.enum(['email', 'username', 'upn'])).default([]),
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
    enable_remember_me: z.boolean().default(false),
  }),
} as const satisfies StageKindDef;
