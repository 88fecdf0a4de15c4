import { z } from 'zod';
import { pk } from './common';
import { validateKindConfig } from './kind-registry';
import { stageRegistry } from './stages';

/**
 * A stage of any kind: authentik's polymorphic Stage, stored as `{kind, config}` where
 * `config` is validated by the registry entry of `kind` (the blueprint attrs minus `name`).
 */
export const stageShape = z.object({
  name: z.string().min(1),
  kind: z.string(),
  config: z.record(z.string(), z.unknown()).default({}),
});
const check = validateKindConfig(stageRegistry, 'stage');

export const stageFields = stageShape.transform(check);
export const stageSchema = stageShape.extend({ pk }).transform(check);
export type Stage = z.infer<typeof stageSchema>;
export type StageInput = z.input<typeof stageFields>;
