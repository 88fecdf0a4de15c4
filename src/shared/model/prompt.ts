import { z } from 'zod';
import { pk } from './common';

/** `authentik_stages_prompt.prompt` (spec §5.7). */
export const promptType = z.enum([
  'text',
  'text_area',
  'text_read_only',
  'text_area_read_only',
  'username',
  'email',
  'password',
  'number',
  'checkbox',
  'radio-button-group',
  'dropdown',
  'date',
  'date-time',
  'file',
  'separator',
  'hidden',
  'static',
  'ak-locale',
]);
export type PromptType = z.infer<typeof promptType>;

export const promptFields = z.object({
  name: z.string().min(1),
  field_key: z.string().min(1),
  label: z.string(),
  type: promptType,
  required: z.boolean().default(true),
  placeholder: z.string().default(''),
  initial_value: z.string().default(''),
  sub_text: z.string().default(''),
  order: z.number().int().default(0),
  placeholder_expression: z.boolean().default(false),
  initial_value_expression: z.boolean().default(false),
});
export const promptSchema = promptFields.extend({ pk });
export type Prompt = z.infer<typeof promptSchema>;
