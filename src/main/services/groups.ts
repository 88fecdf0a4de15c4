import { type ProcedureInput } from '@shared/contract';
import { type Group, groupFields, pk as pkSchema } from '@shared/model';
import { type z } from 'zod';
import {
  deleteGroup,
  getGroup,
  getGroupName,
  insertGroup,
  isSelfOrAncestor,
  listGroups,
  updateGroup,
} from '../store/repos/groups';
import { releaseConfigReferences } from './config-references';
import { type CreateOptions, type ServiceContext, type WriteOptions } from './context';
import { invalid, mapSqliteErrors, notFound, parseInput } from './errors';

export type GroupInput = z.input<typeof groupFields>;

export interface GroupService {
  list(): Group[];
  get(pk: string): Group;
  create(input: GroupInput, options?: CreateOptions): Group;
  /** INVALID_INPUT when the new parent would make the group its own ancestor. */
  update(input: ProcedureInput<'groups.update'>, options?: WriteOptions): Group;
  /**
   * Members stay (their membership goes), child groups lose their parent, bindings of the group
   * cascade; IN_USE when a user write stage creates users into it.
   */
  delete(pk: string): void;
}

export function requireGroup(ctx: ServiceContext, pk: string): Group {
  const group = getGroup(ctx.db, pk);
  if (!group) throw notFound(`Group "${pk}" does not exist.`);
  return group;
}

export function createGroupService(ctx: ServiceContext): GroupService {
  const { db } = ctx;
  const nameTaken = (name: string, pk = '') => ({
    'groups.name': () => `A group named "${name}" already exists.`,
    'groups.pk': () => `An object with pk "${pk}" already exists.`,
  });
  const requireParent = (parent: string | null, path: (string | number)[]): void => {
    if (parent !== null && getGroupName(db, parent) === undefined) {
      throw notFound(`Parent group "${parent}" does not exist.`, [
        { path, message: 'no such group' },
      ]);
    }
  };

  return {
    list: () => mapSqliteErrors(() => listGroups(db)),
    get: (pk) => mapSqliteErrors(() => requireGroup(ctx, pk)),

    create(input, options = {}) {
      const fields = parseInput(groupFields, input);
      const pk = options.pk === undefined ? ctx.newPk() : parseInput(pkSchema, options.pk, ['pk']);
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const created = { ...fields, pk };
            if (fields.parent === pk)
              throw invalid('A group cannot be its own parent.', [
                { path: ['parent'], message: 'cycle' },
              ]);
            requireParent(fields.parent, ['parent']);
            insertGroup(db, created);
            record('group', 'created', pk);
            return options.readBack === false ? created : requireGroup(ctx, pk);
          }),
        nameTaken(fields.name, pk),
      );
    },

    update({ pk, patch }, options = {}) {
      let name = patch.name ?? '';
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const { pk: _pk, ...current } = requireGroup(ctx, pk);
            const next = { ...parseInput(groupFields, { ...current, ...patch }, ['patch']), pk };
            name = next.name;
            if (next.parent !== null && next.parent !== current.parent) {
              requireParent(next.parent, ['patch', 'parent']);
              if (isSelfOrAncestor(db, next.parent, pk)) {
                const parentName = getGroupName(db, next.parent) ?? next.parent;
                throw invalid(
                  next.parent === pk
                    ? `Group "${current.name}" cannot be its own parent.`
                    : `Group "${parentName}" is below "${current.name}"; making it the parent would create a cycle.`,
                  [{ path: ['patch', 'parent'], message: 'would create a cycle' }],
                );
              }
            }
            updateGroup(db, next);
            record('group', 'updated', pk);
            return options.readBack === false ? next : requireGroup(ctx, pk);
          }),
        nameTaken(name),
      );
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          const group = requireGroup(ctx, pk);
          releaseConfigReferences(ctx, record, 'group', pk, `Group "${group.name}"`);
          deleteGroup(db, pk);
          record('group', 'deleted', pk);
        }),
      );
    },
  };
}
