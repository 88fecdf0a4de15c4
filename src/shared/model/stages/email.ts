import { z } from 'zod';
import { durationString } from '../common';
import { type StageKindDef } from '../kind-registry';

/** Templates shipped with authentik; custom templates mounted on the server are any other path. */
export const emailStageTemplates = [
  'email/password_reset.html',
  'email/account_confirmation.html',
] as const;

/**
 * `token_expiry` became a duration string in 2025.2 (migration 0005 turned the old integer
 * minutes `30` into `minutes=30`). Older blueprints still carry the integer, so it is read and
 * rewritten the same way.
 */
export const emailTokenExpiry = z.union([
  durationString,
  z
    .number()
    .int()
    .min(0)
    .transform((minutes) => `minutes=${minutes}`),
]);

export const emailStage = {
  model: 'authentik_stages_email.emailstage',
  label: 'Email Stage',
  description: 'Emails the pending user a link that resumes the flow (verification, recovery).',
  component: 'ak-stage-email',
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
    token_expiry: emailTokenExpiry.default('minutes=30'),
    subject: z.string().default('authentik'),
    template: z.string().min(1).default('email/password_reset.html'),
    activate_user_on_success: z.boolean().default(false),
    /** [newer] recovery rate limit: attempts allowed per `recovery_cache_timeout` window. */
    recovery_max_attempts: z.number().int().min(0).default(5),
    /** [newer] */
    recovery_cache_timeout: durationString.default('minutes=5'),
  }),
  secrets: ['password'],
} as const satisfies StageKindDef;
