import { z } from 'zod';
import { pk, userPk } from './common';

/**
 * `authentik_policies.policybinding` (spec §2.2). `target` is the pk of the policy-binding
 * model it hangs on (a flow or a flow stage binding). Exactly one of policy / group / user.
 */
export const policyBindingShape = z.object({
  target: pk,
  policy: pk.nullable().default(null),
  group: pk.nullable().default(null),
  user: userPk.nullable().default(null),
  negate: z.boolean().default(false),
  enabled: z.boolean().default(true),
  order: z.number().int(),
  timeout: z.number().int().min(0).default(30),
  failure_result: z.boolean().default(false),
});

function exactlyOneTarget(
  value: { policy: string | null; group: string | null; user: number | null },
  ctx: z.RefinementCtx,
): void {
  const set = [value.policy, value.group, value.user].filter((v) => v !== null).length;
  if (set > 1) ctx.addIssue({ code: 'custom', message: "Only one of 'policy', 'group' or 'user' can be set.", path: ['policy'] });
  if (set === 0) ctx.addIssue({ code: 'custom', message: "One of 'policy', 'group' or 'user' must be set.", path: ['policy'] });
}

export const policyBindingFields = policyBindingShape.superRefine(exactlyOneTarget);
export const policyBindingSchema = policyBindingShape.extend({ pk }).superRefine(exactlyOneTarget);
export type PolicyBinding = z.infer<typeof policyBindingSchema>;
export type PolicyBindingInput = z.input<typeof policyBindingFields>;
