import { z } from 'zod';
import { pk } from './common';
import { validateKindConfig } from './kind-registry';
import { policyRegistry } from './policies';

/** A policy of any kind: authentik's polymorphic Policy, stored as `{kind, config}`. */
export const policyShape = z.object({
  name: z.string().min(1),
  kind: z.string(),
  execution_logging: z.boolean().default(false),
  config: z.record(z.string(), z.unknown()).default({}),
});
const check = validateKindConfig(policyRegistry, 'policy');

export const policyFields = policyShape.transform(check);
export const policySchema = policyShape.extend({ pk }).transform(check);
export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policyFields>;
