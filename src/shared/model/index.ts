/** The authentik object model: the single source for DB, contract, codec, editor and engine. */
export * from './common';
export * from './flow';
export * from './flow-stage-binding';
export * from './policy-binding';
export * from './prompt';
export * from './identity';
export * from './stage';
export * from './policy';
export * from './kind-registry';
export { stageRegistry, type StageKind } from './stages';
export { policyRegistry, type PolicyKind } from './policies';
export * from './registry-keys';
