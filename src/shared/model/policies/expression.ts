import { z } from 'zod';
import { type KindDef } from '../kind-registry';

export const expressionPolicy = {
  model: 'authentik_policies_expression.expressionpolicy',
  label: 'Expression Policy',
  description: 'Runs a Python expression; its return value decides the result.',
  config: z.object({
    /** Python source, the body of `def handler(...)`; must `return` to pass. */
    expression: z.string().min(1),
  }),
} as const satisfies KindDef;
