import { policyRegistry, type PolicyKind } from './policies';
import { stageRegistry, type StageKind } from './stages';

/**
 * The key sets of the stage and policy registries. The editor palette, the inspector forms,
 * the preview's challenge renderers and the blueprint codec each assert that their own key
 * sets equal these, so a kind added in one place and forgotten in another fails a test.
 */
export const stageKinds: readonly StageKind[] = Object.freeze(
  Object.keys(stageRegistry) as StageKind[],
);
export const policyKinds: readonly PolicyKind[] = Object.freeze(
  Object.keys(policyRegistry) as PolicyKind[],
);

export function isStageKind(value: string): value is StageKind {
  return Object.hasOwn(stageRegistry, value);
}

export function isPolicyKind(value: string): value is PolicyKind {
  return Object.hasOwn(policyRegistry, value);
}
