import { z } from 'zod';
import { pk, policyEngineMode, slug } from './common';

/** `authentik_flows.flow` (spec §1.1). `pk` is authentik's `flow_uuid`. */
export const flowDesignation = z.enum([
  'authentication',
  'authorization',
  'invalidation',
  'enrollment',
  'unenrollment',
  'recovery',
  'stage_configuration',
]);
export type FlowDesignation = z.infer<typeof flowDesignation>;

export const flowAuthentication = z.enum([
  'none',
  'require_authenticated',
  'require_unauthenticated',
  'require_superuser',
  'require_redirect',
  'require_outpost',
]);
export const deniedAction = z.enum(['message_continue', 'message', 'continue']);
export const flowLayout = z.enum([
  'stacked',
  'content_left',
  'content_right',
  'sidebar_left',
  'sidebar_right',
]);

/** Editable fields, with authentik's current defaults applied on parse. */
export const flowFields = z.object({
  name: z.string().min(1),
  slug,
  title: z.string(),
  designation: flowDesignation,
  policy_engine_mode: policyEngineMode.default('any'),
  compatibility_mode: z.boolean().default(false),
  layout: flowLayout.default('stacked'),
  denied_action: deniedAction.default('message_continue'),
  authentication: flowAuthentication.default('none'),
  background: z.string().default(''),
});
export const flowSchema = flowFields.extend({ pk });
export type Flow = z.infer<typeof flowSchema>;
export type FlowInput = z.input<typeof flowFields>;
