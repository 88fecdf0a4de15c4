import { z } from 'zod';
import { type KindDef } from '../kind-registry';

/** authentik's EventAction values (2025.2). */
export const eventAction = z.enum([
  'login',
  'login_failed',
  'logout',
  'user_write',
  'suspicious_request',
  'password_set',
  'secret_view',
  'secret_rotate',
  'invitation_used',
  'authorize_application',
  'source_linked',
  'impersonation_started',
  'impersonation_ended',
  'flow_execution',
  'policy_execution',
  'policy_exception',
  'property_mapping_exception',
  'system_task_execution',
  'system_task_exception',
  'system_exception',
  'configuration_error',
  'model_created',
  'model_updated',
  'model_deleted',
  'email_sent',
  'update_available',
  'custom_',
]);
export type EventAction = z.infer<typeof eventAction>;

export const eventMatcherPolicy = {
  model: 'authentik_policies_event_matcher.eventmatcherpolicy',
  label: 'Event Matcher Policy',
  description: 'Matches the event in the context by action, client IP, app or model.',
  // Every criterion is optional: null (or blank) means "not checked".
  config: z.object({
    action: eventAction.nullable().default(null),
    /** Exact client IP. */
    client_ip: z.string().nullable().default(null),
    /** Dotted app path, e.g. `authentik.core`. */
    app: z.string().nullable().default(null),
    /** `app_label.model_name`, e.g. `authentik_core.user`. */
    model: z.string().nullable().default(null),
  }),
} as const satisfies KindDef;
