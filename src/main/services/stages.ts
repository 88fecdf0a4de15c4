import { type ProcedureInput } from '@shared/contract';
import {
  findKind,
  pk as pkSchema,
  type Stage,
  type StageInput,
  stageFields,
  stageRegistry,
} from '@shared/model';
import { deleteStage, getStage, insertStage, listStages, updateStage } from '../store/repos/stages';
import { assertConfigReferences, releaseConfigReferences } from './config-references';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { mapSqliteErrors, notFound, parseInput } from './errors';

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
  const { db } = ctx;
  const nameTaken = (name: string, pk = '') => ({
    'stages.name': () => `A stage named "${name}" already exists.`,
    'stages.pk': () => `An object with pk "${pk}" already exists.`,
  });

  return {
    list: (filter) =>
      mapSqliteErrors(() => {
        const kind = filter?.kind;
        return listStages(
          db,
          kind === undefined ? undefined : (findKind(stageRegistry, kind)?.model ?? kind),
        );
      }),
    get: (pk) => mapSqliteErrors(() => requireStage(ctx, pk)),

    create(input, options = {}) {
      const fields = parseInput(stageFields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const created = { ...fields, pk };
            assertConfigReferences(ctx, 'stage', fields.kind, fields.config);
            insertStage(db, created);
            record('stage', 'created', pk);
            return options.readBack === false ? created : requireStage(ctx, pk);
          }),
        nameTaken(fields.name, pk),
      );
    },

    update({ pk, patch }, options = {}) {
      let name = patch.name ?? '';
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const current = requireStage(ctx, pk);
            const fields = parseInput(
              stageFields,
              {
                name: patch.name ?? current.name,
                kind: current.kind,
                config: patch.config ?? current.config,
              },
              ['patch'],
            );
            name = fields.name;
            assertConfigReferences(ctx, 'stage', fields.kind, fields.config);
            const next = { ...fields, pk };
            updateStage(db, next);
            record('stage', 'updated', pk);
            return options.readBack === false ? next : requireStage(ctx, pk);
          }),
        nameTaken(name),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          const stage = requireStage(ctx, pk);
          releaseConfigReferences(ctx, record, 'stage', pk, `Stage "${stage.name}"`);
          deleteStage(db, pk);
          record('stage', 'deleted', pk);
        }),
      );
    },
  };
}
