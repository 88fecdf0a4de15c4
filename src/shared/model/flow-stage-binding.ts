import { z } from 'zod';
import { pk, policyEngineMode } from './common';

/** `authentik_flows.flowstagebinding` (spec §2.1). `pk` is authentik's `fsb_uuid`. */
export const invalidResponseAction = z.enum(['retry', 'restart', 'restart_with_context']);

export const flowStageBindingFields = z.object({
  target: pk,
  stage: pk,
  order: z.number().int(),
  // Current defaults (authentik ≥2023.x, migration 0025); older blueprints relied on
  // evaluate_on_plan=true / re_evaluate_policies=false.
  evaluate_on_plan: z.boolean().default(false),
  re_evaluate_policies: z.boolean().default(true),
  invalid_response_action: invalidResponseAction.default('retry'),
  policy_engine_mode: policyEngineMode.default('any'),
});
export const flowStageBindingSchema = flowStageBindingFields.extend({ pk });
export type FlowStageBinding = z.infer<typeof flowStageBindingSchema>;
