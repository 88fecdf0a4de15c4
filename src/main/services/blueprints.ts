import { type ImportReport } from '@shared/contract/blueprint-report';
import { type User, userFields, userPk } from '@shared/model';
import { type BlueprintImporter, type ImportFile, type ImportOptions, type ImportPort, runImport } from '../blueprint/import';
import { type EntityKind, type EntityTypes, type ObjectInput, type ObjectPk, type ObjectPort } from '../blueprint/models';
import { type BlueprintDocument } from '../blueprint/yaml';
import {
  allPks,
  type BlueprintEntryRecord,
  type BlueprintHead,
  deleteBlueprint,
  getBlueprint,
  getBlueprintPkByName,
  listBlueprintEntries,
  listBlueprints,
  pkByUniqueName,
  putBlueprint,
  type StoredBlueprint,
} from '../store/repos/blueprints';
import { getBinding, listBindingsOfFlow } from '../store/repos/flow-stage-bindings';
import { getFlow, getFlowBySlug, listFlows } from '../store/repos/flows';
import { getGroup, getGroupName, listGroups } from '../store/repos/groups';
import { getPolicy, listPolicies } from '../store/repos/policies';
import { getPolicyBinding, listPolicyBindingsOf } from '../store/repos/policy-bindings';
import { getPrompt, listPrompts } from '../store/repos/prompts';
import { getStage, listStages } from '../store/repos/stages';
import { getPasswordHash, getUser, insertUser, listUsers, setPasswordHash, setUserGroups } from '../store/repos/users';
import { type ServiceContext } from './context';
import { mapSqliteErrors, notFound, parseInput } from './errors';
import { type Services } from './index';

export interface BlueprintService extends BlueprintImporter {
  /** Stored blueprints by name (without documents). */
  list(): BlueprintHead[];
  /** A stored blueprint with its document and context. NOT_FOUND when missing. */
  get(pk: string): StoredBlueprint & { entries: BlueprintEntryRecord[] };
  /** Forget a stored blueprint (the objects it imported stay in the workspace). */
  delete(pk: string): void;
}

type ObjectServices = Omit<Services, 'context' | 'workspace' | 'canvas' | 'blueprints'>;

function defined<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

/** The workspace as the blueprint importer sees it: reads through the repositories, writes through the services. */
function objectPort(ctx: ServiceContext, services: ObjectServices): ObjectPort {
  const { db } = ctx;
  const str = (pk: ObjectPk): string => String(pk);
  const byName = <T>(table: 'stages' | 'policies' | 'prompts' | 'groups', value: ObjectPk, get: (pk: string) => T | undefined): T[] => {
    const pk = pkByUniqueName(db, table, String(value));
    return pk === undefined ? [] : defined(get(String(pk)));
  };

  const get = <E extends EntityKind>(entity: E, pk: ObjectPk): EntityTypes[E] | undefined => {
    const found: EntityTypes[EntityKind] | undefined = (() => {
      switch (entity) {
        case 'flow':
          return getFlow(db, str(pk));
        case 'binding':
          return getBinding(db, str(pk));
        case 'policyBinding':
          return getPolicyBinding(db, str(pk));
        case 'stage':
          return getStage(db, str(pk));
        case 'policy':
          return getPolicy(db, str(pk));
        case 'prompt':
          return getPrompt(db, str(pk));
        case 'user':
          return typeof pk === 'number' && Number.isSafeInteger(pk) ? getUser(db, pk) : undefined;
        case 'group':
          return getGroup(db, str(pk));
      }
      return undefined;
    })();
    return found as EntityTypes[E] | undefined;
  };

  const list = <E extends EntityKind>(entity: E, where?: { field: string; value: ObjectPk }): EntityTypes[E][] => {
    const field = where?.field;
    const value = where?.value ?? '';
    const found: EntityTypes[EntityKind][] = (() => {
      switch (entity) {
        case 'flow':
          return field === 'slug' ? defined(getFlowBySlug(db, String(value))) : listFlows(db);
        case 'binding':
          return field === 'target'
            ? listBindingsOfFlow(db, String(value))
            : allPks(db, 'flow_stage_bindings').flatMap((pk) => defined(getBinding(db, pk)));
        case 'policyBinding':
          return field === 'target'
            ? listPolicyBindingsOf(db, String(value))
            : allPks(db, 'policy_bindings').flatMap((pk) => defined(getPolicyBinding(db, pk)));
        case 'stage':
          return field === 'name' ? byName('stages', value, (pk) => getStage(db, pk)) : listStages(db);
        case 'policy':
          return field === 'name' ? byName('policies', value, (pk) => getPolicy(db, pk)) : listPolicies(db);
        case 'prompt':
          return field === 'name' ? byName('prompts', value, (pk) => getPrompt(db, pk)) : listPrompts(db);
        case 'group':
          return field === 'name' ? byName('groups', value, (pk) => getGroup(db, pk)) : listGroups(db);
        case 'user': {
          if (field !== 'username') return listUsers(db);
          const pk = pkByUniqueName(db, 'users', String(value));
          return typeof pk === 'number' ? defined(getUser(db, pk)) : [];
        }
      }
      return [];
    })();
    return found as EntityTypes[E][];
  };

  const fields = (input: ObjectInput): never => input.fields as never;
  const withoutTarget = (input: ObjectInput): never => {
    const { target: _target, ...rest } = input.fields;
    return rest as never;
  };

  return {
    get,
    list,
    create<E extends EntityKind>(entity: E, input: ObjectInput, pk: ObjectPk | undefined): EntityTypes[E] {
      const options = pk === undefined ? {} : { pk: String(pk) };
      const created: EntityTypes[EntityKind] = (() => {
        switch (entity) {
          case 'flow':
            return services.flows.create(fields(input), options);
          case 'binding':
            return services.bindings.create(fields(input), options);
          case 'policyBinding':
            return services.policyBindings.create(fields(input), options);
          case 'stage':
            return services.stages.create(fields(input), options);
          case 'policy':
            return services.policies.create(fields(input), options);
          case 'prompt':
            return services.prompts.create(fields(input), options);
          case 'group':
            return services.groups.create(fields(input), options);
          case 'user':
            return createUser(ctx, input, pk);
        }
        throw new Error(`unknown entity ${String(entity)}`);
      })();
      return created as EntityTypes[E];
    },
    update<E extends EntityKind>(entity: E, pk: ObjectPk, input: ObjectInput): EntityTypes[E] {
      const key = String(pk);
      const updated: EntityTypes[EntityKind] = (() => {
        switch (entity) {
          case 'flow':
            return services.flows.update({ pk: key, patch: fields(input) });
          case 'binding':
            return services.bindings.update({ pk: key, patch: withoutTarget(input) });
          case 'policyBinding':
            return services.policyBindings.update({ pk: key, patch: withoutTarget(input) });
          case 'stage': {
            const { name, config } = input.fields;
            return services.stages.update({ pk: key, patch: { name, config } as never });
          }
          case 'policy': {
            const { name, execution_logging, config } = input.fields;
            return services.policies.update({ pk: key, patch: { name, execution_logging, config } as never });
          }
          case 'prompt':
            return services.prompts.update({ pk: key, patch: fields(input) });
          case 'group':
            return services.groups.update({ pk: key, patch: fields(input) });
          case 'user':
            return updateUser(ctx, services, pk as number, input);
        }
        throw new Error(`unknown entity ${String(entity)}`);
      })();
      return updated as EntityTypes[E];
    },
    delete(entity, pk) {
      const key = String(pk);
      switch (entity) {
        case 'flow':
          return services.flows.delete(key);
        case 'binding':
          return services.bindings.delete(key);
        case 'policyBinding':
          return services.policyBindings.delete(key);
        case 'stage':
          return services.stages.delete(key);
        case 'policy':
          return services.policies.delete(key);
        case 'prompt':
          return services.prompts.delete(key);
        case 'group':
          return services.groups.delete(key);
        case 'user':
          return services.users.delete(pk as number);
      }
    },
  };
}

/**
 * A user with an already computed password hash. The user service hashes asynchronously, and the
 * import transaction is synchronous, so the importer hashes first and writes here.
 */
function createUser(ctx: ServiceContext, input: ObjectInput, pk: ObjectPk | undefined): User {
  const fields = parseInput(userFields, input.fields);
  const explicitPk = pk === undefined ? undefined : parseInput(userPk, pk, ['pk']);
  const hash = input.password?.kind === 'hash' ? input.password.hash : null;
  return mapSqliteErrors(
    () =>
      ctx.write((record) => {
        fields.groups.forEach((group, index) => {
          if (getGroupName(ctx.db, group) === undefined) {
            throw notFound(`Group "${group}" does not exist.`, [{ path: ['groups', index], message: 'no such group' }]);
          }
        });
        const now = ctx.clock().toISOString();
        const { groups, ...profile } = fields;
        const created = insertUser(
          ctx.db,
          { ...profile, pk: explicitPk, password_change_date: hash === null ? null : now, last_login: null, date_joined: now },
          hash,
        );
        setUserGroups(ctx.db, created, groups);
        record('user', 'created', created);
        const user = getUser(ctx.db, created);
        if (!user) throw notFound(`User ${created} does not exist.`);
        return user;
      }),
    {
      'users.username': () => `A user with username "${fields.username}" already exists.`,
      'users.pk': () => `A user with pk ${String(explicitPk)} already exists.`,
    },
  );
}

function updateUser(ctx: ServiceContext, services: ObjectServices, pk: number, input: ObjectInput): User {
  return ctx.write((record) => {
    let user = services.users.update({ pk, patch: input.fields as never });
    if (input.password?.kind === 'hash') {
      mapSqliteErrors(() => setPasswordHash(ctx.db, pk, (input.password as { hash: string }).hash, ctx.clock().toISOString()));
      record('user', 'updated', pk);
      user = getUser(ctx.db, pk) ?? user;
    }
    return user;
  });
}

/** The importer's view of a workspace (see ImportPort). */
export function createImportPort(ctx: ServiceContext, services: ObjectServices): ImportPort {
  const { db } = ctx;
  return {
    objects: objectPort(ctx, services),
    transaction: (fn) =>
      mapSqliteErrors(() =>
        ctx.write((record) => {
          const result = fn();
          record('workspace', 'replaced', null);
          return result;
        }),
      ),
    savepoint: (fn) => ctx.write(() => fn()),
    storedBlueprints: () => listBlueprints(db).map((head) => ({ pk: head.pk, name: head.name, sourceName: head.sourceName })),
    storedDocument: (pk) => getBlueprint(db, pk)?.document as BlueprintDocument | undefined,
    saveBlueprint(blueprint) {
      const pk = getBlueprintPkByName(db, blueprint.name) ?? ctx.newPk();
      mapSqliteErrors(() =>
        putBlueprint(db, {
          pk,
          name: blueprint.name,
          sourceName: blueprint.sourceName,
          document: JSON.stringify(blueprint.document),
          context: blueprint.context,
          versionGuess: blueprint.versionGuess,
          contentSha256: blueprint.contentSha256,
          importedAt: ctx.clock().toISOString(),
          entries: blueprint.entries.map((entry) => ({
            idx: entry.idx,
            model: entry.model,
            objectPk: entry.objectPk,
            snapshot: entry.snapshot,
            unknownAttrs: entry.unknownAttrs,
          })),
        }),
      );
      return pk;
    },
    passwordHash: (userPk) => getPasswordHash(db, userPk),
    hashPassword: (password) => ctx.hasher.hash(password),
    verifyPassword: (stored, password) => ctx.hasher.verify(stored, password),
  };
}

export function createBlueprintService(ctx: ServiceContext, services: ObjectServices): BlueprintService {
  const port = createImportPort(ctx, services);
  return {
    import: (files: readonly ImportFile[], options?: ImportOptions): Promise<ImportReport> => runImport(port, files, options),
    validate: (files, options = {}) => runImport(port, files, { ...options, dryRun: true }),
    list: () => mapSqliteErrors(() => listBlueprints(ctx.db)),
    get(pk) {
      return mapSqliteErrors(() => {
        const blueprint = getBlueprint(ctx.db, pk);
        if (!blueprint) throw notFound(`Blueprint "${pk}" does not exist.`);
        return { ...blueprint, entries: listBlueprintEntries(ctx.db, pk) };
      });
    },
    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          if (!deleteBlueprint(ctx.db, pk)) throw notFound(`Blueprint "${pk}" does not exist.`);
          record('workspace', 'updated', null);
        }),
      );
    },
  };
}
