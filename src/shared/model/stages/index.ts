import { type Registry, type StageKindDef } from '../kind-registry';
import { identificationStage } from './identification';
import { passwordStage } from './password';

/** Every stage kind Flowbench models, keyed by authentik model name. Explicit: no side effects. */
export const stageRegistry = {
  [identificationStage.model]: identificationStage,
  [passwordStage.model]: passwordStage,
} as const satisfies Registry<StageKindDef>;

export type StageKind = keyof typeof stageRegistry;
