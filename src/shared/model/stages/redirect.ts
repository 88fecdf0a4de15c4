import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const redirectMode = z.enum(['static', 'flow']);

export const redirectStage = {
  model: 'authentik_stages_redirect.redirectstage',
  label: 'Redirect Stage',
  description: 'Sends the user to a URL or into another flow, optionally keeping the context.',
  component: 'xak-flow-redirect',
  config: z
    .object({
      mode: redirectMode,
      target_static: z.string().default(''),
      target_flow: pk.nullable().default(null),
      keep_context: z.boolean().default(true),
    })
    // authentik's serializer requires the target that matches the mode.
    .superRefine((value, ctx) => {
      if (value.mode === 'static' && value.target_static === '') {
        ctx.addIssue({
          code: 'custom',
          path: ['target_static'],
          message: 'Target URL should be present when mode is Static.',
        });
      }
      if (value.mode === 'flow' && value.target_flow === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['target_flow'],
          message: 'Target Flow should be present when mode is Flow.',
        });
      }
    }),
} as const satisfies StageKindDef;
