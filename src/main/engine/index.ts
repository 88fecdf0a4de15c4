/**
 * Flowbench's flow engine: plain TypeScript over injected ports (see README.md).
 * Ports, policy engine, policy kinds, planner, executor (run state, challenge/response) and
 * the stage registry (the kinds implemented so far are listed by IMPLEMENTED_STAGE_KINDS).
 */
export * from './ports';
export * from './context-keys';
export * from './users';
export { cleanseDict, CLEANSED_SUBSTITUTE, pythonTruthy, toJson } from './json';
export * from './policy';
export * from './planner';
export * from './executor';
export { findStageImpl, IMPLEMENTED_STAGE_KINDS, stageImplementations, stageKindAvailability, type StageKindAvailability } from './stages';
export type * from './stages/types';
