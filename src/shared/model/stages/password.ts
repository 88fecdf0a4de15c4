import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const passwordBackend = z.enum([
  'authentik.core.auth.InbuiltBackend',
  'authentik.core.auth.TokenBackend',
  'authentik.sources.ldap.auth.LDAPBackend',
  'authentik.sources.kerberos.auth.KerberosBackend',
]);

export const passwordStage = {
  model: 'authentik_stages_password.passwordstage',
  label: 'Password Stage',
  description: "Checks the pending user's password against the configured backends.",
  component: 'ak-stage-password',
  config: z.object({
    backends: z.array(passwordBackend).min(1),
    configure_flow: pk.nullable().default(null),
    failed_attempts_before_cancel: z.number().int().min(0).default(5),
    allow_show_password: z.boolean().default(false),
  }),
} as const satisfies StageKindDef;
