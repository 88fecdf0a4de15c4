import { type EventName } from './events';
import { type ProcedureName } from './procedures';

/*
 * The procedure and event names as plain data, with no zod behind them.
 *
 * The preload bundle runs in Electron's sandbox, where `require` reaches only Electron's own
 * modules: it must not pull in zod (or anything else from node_modules) just to learn the
 * names. This file imports types only, so bundling it adds nothing but these two arrays.
 * The checks below fail to compile when the contract gains a name that is not listed here
 * (and `satisfies` fails for a listed name the contract does not have); a unit test compares
 * both lists with `Object.keys(contract)` and `Object.keys(events)` too.
 */
export const procedureNameList = [
  'workspace.info',
  'flows.list',
  'flows.get',
  'flows.create',
  'flows.update',
  'flows.duplicate',
  'flows.delete',
  'stages.list',
  'stages.get',
  'stages.create',
  'stages.update',
  'stages.delete',
  'bindings.list',
  'bindings.create',
  'bindings.update',
  'bindings.reorder',
  'bindings.delete',
  'policies.list',
  'policies.get',
  'policies.create',
  'policies.update',
  'policies.delete',
  'policies.runtime',
  'policies.test',
  'policyBindings.list',
  'policyBindings.create',
  'policyBindings.update',
  'policyBindings.delete',
  'prompts.list',
  'prompts.get',
  'prompts.create',
  'prompts.update',
  'prompts.delete',
  'users.list',
  'users.get',
  'users.create',
  'users.update',
  'users.setPassword',
  'users.checkPassword',
  'users.delete',
  'groups.list',
  'groups.get',
  'groups.create',
  'groups.update',
  'groups.delete',
  'blueprints.validate',
  'blueprints.import',
  'blueprints.export',
  'blueprints.list',
] as const satisfies readonly ProcedureName[];

export const eventNameList = ['workspace.changed'] as const satisfies readonly EventName[];

/** `true` when `Listed` covers `All`; otherwise a type naming what is missing. */
type Covers<All extends string, Listed extends string> = [Exclude<All, Listed>] extends [never]
  ? true
  : { missing: Exclude<All, Listed> };

export const procedureNameListIsComplete: Covers<
  ProcedureName,
  (typeof procedureNameList)[number]
> = true;
export const eventNameListIsComplete: Covers<EventName, (typeof eventNameList)[number]> = true;
