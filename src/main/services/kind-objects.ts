import { type z } from 'zod';
import { pk as pkSchema } from '@shared/model';
import { type Db } from '../store/db';
import { assertConfigReferences, releaseConfigReferences } from './config-references';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { mapSqliteErrors, notFound, parseInput } from './errors';

/** A stored stage or policy: authentik's polymorphic objects, `{pk, name, kind, config, …}`. */
interface KindObject {
  pk: string;
  name: string;
  kind: string;
  config: Record<string, unknown>;
}

/**
 * What differs between the stage and the policy services; everything else (pk choice, config
 * reference checks, CONFLICT messages, events, read-back) is the same and lives below once.
 */
export interface KindObjectSpec<T extends KindObject, Fields extends z.ZodType<Omit<T, 'pk'>>> {
  readonly entity: 'stage' | 'policy';
  readonly table: 'stages' | 'policies';
  /** "Stage" / "Policy", for messages. */
  readonly noun: string;
  readonly fields: Fields;
  readonly repo: {
    get(db: Db, pk: string): T | undefined;
    insert(db: Db, value: T): void;
    update(db: Db, value: T): void;
    remove(db: Db, pk: string): void;
  };
  /** The full field set of an update: the patch over the current object (kind never changes). */
  merge(current: T, patch: Record<string, unknown>): Record<string, unknown>;
}

export interface KindObjectOperations<T> {
  require(pk: string): T;
  create(input: unknown, options?: CreateOptions): T;
  update(input: { pk: string; patch: Record<string, unknown> }, options?: WriteOptions): T;
  delete(pk: string): void;
}

export function kindObjectOperations<T extends KindObject, Fields extends z.ZodType<Omit<T, 'pk'>>>(
  ctx: ServiceContext,
  spec: KindObjectSpec<T, Fields>,
): KindObjectOperations<T> {
  const { db } = ctx;
  const lower = spec.noun.toLowerCase();
  const nameTaken = (name: string, pk = '') => ({
    [`${spec.table}.name`]: () => `A ${lower} named "${name}" already exists.`,
    [`${spec.table}.pk`]: () => `An object with pk "${pk}" already exists.`,
  });
  const require = (pk: string): T => {
    const found = spec.repo.get(db, pk);
    if (!found) throw notFound(`${spec.noun} "${pk}" does not exist.`);
    return found;
  };

  return {
    require,

    create(input, options = {}) {
      const fields = parseInput(spec.fields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const created = { ...fields, pk } as T;
            assertConfigReferences(ctx, spec.entity, created.kind, created.config);
            spec.repo.insert(db, created);
            record(spec.entity, 'created', pk);
            return options.readBack === false ? created : require(pk);
          }),
        nameTaken(fields.name, pk),
      );
    },

    update({ pk, patch }, options = {}) {
      let name = typeof patch.name === 'string' ? patch.name : '';
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const current = require(pk);
            const next = { ...parseInput(spec.fields, spec.merge(current, patch), ['patch']), pk } as T;
            name = next.name;
            assertConfigReferences(ctx, spec.entity, next.kind, next.config);
            spec.repo.update(db, next);
            record(spec.entity, 'updated', pk);
            return options.readBack === false ? next : require(pk);
          }),
        nameTaken(name),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          const found = require(pk);
          releaseConfigReferences(ctx, record, spec.entity, pk, `${spec.noun} "${found.name}"`);
          spec.repo.remove(db, pk);
          record(spec.entity, 'deleted', pk);
        }),
      );
    },
  };
}
