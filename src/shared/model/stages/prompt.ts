import { z } from 'zod';
import { pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const promptStage = {
  model: 'authentik_stages_prompt.promptstage',
  label: 'Prompt Stage',
  description: 'Shows a form of prompt fields and merges the answers into prompt_data.',
  component: 'ak-stage-prompt',
  config: z.object({
    /** Prompt pks; authentik requires at least one. Shown ordered by each prompt's `order`. */
    fields: z.array(pk).min(1),
    /** Policy pks run (mode all) against the submitted values. */
    validation_policies: z.array(pk).default([]),
  }),
} as const satisfies StageKindDef;
