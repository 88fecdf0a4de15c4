/**
 * Flowbench's flow engine: plain TypeScript over injected ports (see README.md).
 * This part: ports, policy engine, policy kinds, planner, reserved context keys.
 */
export * from './ports';
export * from './context-keys';
export * from './users';
export { cleanseDict, CLEANSED_SUBSTITUTE, pythonTruthy, toJson } from './json';
export * from './policy';
export * from './planner';
