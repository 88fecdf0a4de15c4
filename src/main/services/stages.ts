import { type ProcedureInput } from '@shared/contract';
import { findKind, type Stage, type StageInput, stageFields, stageRegistry } from '@shared/model';
import { deleteStage, getStage, insertStage, listStages, updateStage } from '../store/repos/stages';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { mapSqliteErrors, notFound } from './errors';
import { kindObjectOperations } from './kind-objects';

export interface StageService {
  /** All stages by name; `kind` may be an alias, it is resolved through the registry. */
  list(filter?: { kind?: string }): Stage[];
  get(pk: string): Stage;
  create(input: StageInput, options?: CreateOptions): Stage;
  /** Rename and/or replace the config (validated against the stage's kind, defaults applied). */
  update(input: ProcedureInput<'stages.update'>, options?: WriteOptions): Stage;
  /**
   * IN_USE when another stage holds it in a single reference (e.g. an identification stage's
   * password_stage); removed from list references; its bindings and their policy bindings cascade.
   */
  delete(pk: string): void;
}

export function requireStage(ctx: ServiceContext, pk: string): Stage {
  const stage = getStage(ctx.db, pk);
  if (!stage) throw notFound(`Stage "${pk}" does not exist.`);
  return stage;
}

export function createStageService(ctx: ServiceContext): StageService {
  const ops = kindObjectOperations(ctx, {
    entity: 'stage',
    table: 'stages',
    noun: 'Stage',
    fields: stageFields,
    repo: { get: getStage, insert: insertStage, update: updateStage, remove: deleteStage },
    merge: (current, patch) => ({
      name: patch.name ?? current.name,
      kind: current.kind,
      config: patch.config ?? current.config,
    }),
  });
  return {
    list: (filter) =>
      mapSqliteErrors(() => {
        const kind = filter?.kind;
        return listStages(ctx.db, kind === undefined ? undefined : (findKind(stageRegistry, kind)?.model ?? kind));
      }),
    get: (pk) => mapSqliteErrors(() => ops.require(pk)),
    create: (input, options) => ops.create(input, options),
    update: (input, options) => ops.update(input, options),
    delete: (pk) => ops.delete(pk),
  };
}
