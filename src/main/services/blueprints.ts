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
import { bindingPksOfFlow, getBinding, listBindingsOfFlow } from '../store/repos/flow-stage-bindings';
import { getFlow, getFlowBySlug, listFlows } from '../store/repos/flows';
import { getGroup, getGroupName, listGroups } from '../store/repos/groups';
import { getPolicy, listPolicies } from '../store/repos/policies';
import { getPolicyBinding, listPolicyBindingsOf, policyBindingPksOf } from '../store/repos/policy-bindings';
import { getPrompt, listPrompts } from '../store/repos/prompts';
import { getStage, listStages } from '../store/repos/stages';
import { getPasswordHash, getUser, insertUser, listUsers, setPasswordHash, setUserGroups } from '../store/repos/users';
import { type ServiceContext, type WriteOptions } from './context';
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

type ObjectServices = Omit<Services, 'context' | 'workspace' | 'canvas' | 'blueprints' | 'policyTests'>;

/** Writes return the object as validated instead of reading its row back (see WriteOptions). */
const NO_READ_BACK = Object.freeze({ readBack: false }) satisfies WriteOptions;

function defined<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

/**
 * A lone UTF-16 surrogate in JSON text: JSON.stringify writes one as a `\udXXX` escape (and a
 * well-formed pair as it is). A backslash written before `ud800` in a string matches too, which
 * only costs a read-back.
 */
const ESCAPED_LONE_SURROGATE = /\\ud[89a-f][0-9a-f]{2}/;

/**
 * Whether every string in a written object survives a trip through SQLite text unchanged:
 * SQLite stores text as UTF-8, so a lone surrogate comes back as U+FFFD.
 */
function storableText(object: unknown): boolean {
  return !ESCAPED_LONE_SURROGATE.test(JSON.stringify(object));
}

/**
 * The objects one import wrote, as the services validated and wrote them (`readBack: false`),
 * so the snapshots taken at the end need not read every row back and parse it again: reading
 * back gives an equal object (the row schemas are the input schemas plus `pk`, and parsing is
 * idempotent), except for text with lone surrogates, which SQLite stores as U+FFFD — such
 * objects are not kept. An object is only kept while nothing can have changed its row since:
 * a delete (cascades, released config references) or a rolled-back entry forgets everything.
 * Outside an import transaction it holds nothing.
 */
class WrittenObjects {
  private objects: Map<string, unknown> | undefined;

  private static key(entity: EntityKind, pk: ObjectPk): string {
    return `${entity}:${String(pk)}`;
  }

  /** Inside an import transaction. */
  get active(): boolean {
    return this.objects !== undefined;
  }

  begin(): void {
    this.objects = new Map();
  }

  end(): void {
    this.objects = undefined;
  }

  remember(entity: EntityKind, object: { pk: ObjectPk }): void {
    if (!this.objects) return;
    const key = WrittenObjects.key(entity, object.pk);
    // Text with lone surrogates reads back changed; such an object is read back instead.
    if (storableText(object)) this.objects.set(key, object);
    else this.objects.delete(key);
  }

  forgetAll(): void {
    this.objects?.clear();
  }

  get<E extends EntityKind>(entity: E, pk: ObjectPk): EntityTypes[E] | undefined {
    return this.objects?.get(WrittenObjects.key(entity, pk)) as EntityTypes[E] | undefined;
  }
}

/** The workspace as the blueprint importer sees it: reads through the repositories, writes through the services. */
function objectPort(ctx: ServiceContext, services: ObjectServices, written: WrittenObjects): ObjectPort {
  const { db } = ctx;
  const str = (pk: ObjectPk): string => String(pk);
  const byName = <T>(table: 'stages' | 'policies' | 'prompts' | 'groups', value: ObjectPk, get: (pk: string) => T | undefined): T[] => {
    const pk = pkByUniqueName(db, table, String(value));
    return pk === undefined ? [] : defined(get(String(pk)));
  };

  const get = <E extends EntityKind>(entity: E, pk: ObjectPk): EntityTypes[E] | undefined => {
    // Users are looked up by integer pk only; any other pk is read as its string.
    const cached = entity === 'user' && typeof pk !== 'number' ? undefined : written.get(entity, pk);
    if (cached) return cached;
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
          if (field !== 'target') return allPks(db, 'flow_stage_bindings').flatMap((pk) => defined(get('binding', pk)));
          // During an import, most of them were just written: read only the others.
          return written.active
            ? bindingPksOfFlow(db, String(value)).flatMap((pk) => defined(get('binding', pk)))
            : listBindingsOfFlow(db, String(value));
        case 'policyBinding':
          if (field !== 'target') return allPks(db, 'policy_bindings').flatMap((pk) => defined(get('policyBinding', pk)));
          return written.active
            ? policyBindingPksOf(db, String(value)).flatMap((pk) => defined(get('policyBinding', pk)))
            : listPolicyBindingsOf(db, String(value));
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
      // The importer needs the pk here, and the object as written for its snapshot (WrittenObjects).
      const options = pk === undefined ? NO_READ_BACK : { ...NO_READ_BACK, pk: String(pk) };
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
      written.remember(entity, created);
      return created as EntityTypes[E];
    },
    update<E extends EntityKind>(entity: E, pk: ObjectPk, input: ObjectInput): EntityTypes[E] {
      const key = String(pk);
      const updated: EntityTypes[EntityKind] = (() => {
        switch (entity) {
          case 'flow':
            return services.flows.update({ pk: key, patch: fields(input) }, NO_READ_BACK);
          case 'binding':
            return services.bindings.update({ pk: key, patch: withoutTarget(input) }, NO_READ_BACK);
          case 'policyBinding':
            return services.policyBindings.update({ pk: key, patch: withoutTarget(input) }, NO_READ_BACK);
          case 'stage': {
            const { name, config } = input.fields;
            return services.stages.update({ pk: key, patch: { name, config } as never }, NO_READ_BACK);
          }
          case 'policy': {
            const { name, execution_logging, config } = input.fields;
            return services.policies.update({ pk: key, patch: { name, execution_logging, config } as never }, NO_READ_BACK);
          }
          case 'prompt':
            return services.prompts.update({ pk: key, patch: fields(input) }, NO_READ_BACK);
          case 'group':
            return services.groups.update({ pk: key, patch: fields(input) }, NO_READ_BACK);
          case 'user':
            return updateUser(ctx, services, pk as number, input);
        }
        throw new Error(`unknown entity ${String(entity)}`);
      })();
      written.remember(entity, updated);
      return updated as EntityTypes[E];
    },
    delete(entity, pk) {
      // Deleting cascades and edits other objects' config references.
      written.forgetAll();
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
  const written = new WrittenObjects();
  return {
    objects: objectPort(ctx, services, written),
    transaction: (fn) => {
      written.begin();
      try {
        return mapSqliteErrors(() =>
          ctx.write((record) => {
            const result = fn();
            record('workspace', 'replaced', null);
            return result;
          }),
        );
      } finally {
        written.end();
      }
    },
    savepoint: (fn) => {
      try {
        return ctx.writeAtomically(fn);
      } catch (error) {
        // Rolled back: what the entry wrote is gone.
        written.forgetAll();
        throw error;
      }
    },
    writtenObject: (entity, pk) => written.get(entity, pk),
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
