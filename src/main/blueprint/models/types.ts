import type {
  Flow,
  FlowStageBinding,
  Group,
  JsonValue,
  Policy,
  PolicyBinding,
  Prompt,
  Stage,
  User,
} from '@shared/model';

/** The Flowbench object families a blueprint entry can become. */
export type EntityKind = 'flow' | 'binding' | 'policyBinding' | 'stage' | 'policy' | 'prompt' | 'user' | 'group';

export interface EntityTypes {
  flow: Flow;
  binding: FlowStageBinding;
  policyBinding: PolicyBinding;
  stage: Stage;
  policy: Policy;
  prompt: Prompt;
  user: User;
  group: Group;
}

export type AnyEntity = EntityTypes[EntityKind];
export type ObjectPk = string | number;

/** An object in authentik's blueprint `attrs` shape (field names as in authentik, pk excluded). */
export type Attrs = Record<string, JsonValue>;

/** What the blueprint asked for a user's password, prepared before the import transaction. */
export type PasswordInstruction =
  /** Leave the stored password alone. */
  | { kind: 'keep' }
  /**
   * Store this hash: an argon2id PHC string computed before the transaction, or a `password_hash`
   * the file gave (argon2 or Django pbkdf2_sha256, which Flowbench verifies too).
   */
  | { kind: 'hash'; hash: string };

/**
 * The input an entry produces for one object, ready for the workspace's services (field names
 * and shapes of the shared zod model). `fields` is always complete: for an update it is the
 * current object with the entry's attrs applied.
 */
export interface ObjectInput {
  fields: Record<string, unknown>;
  /** Users only. */
  password?: PasswordInstruction;
}

/**
 * What the importer needs from a workspace, implemented over the store and the services by
 * src/main/services/blueprints.ts. Everything runs inside the import transaction, so reads see
 * what earlier entries wrote.
 */
export interface ObjectPort {
  get<E extends EntityKind>(entity: E, pk: ObjectPk): EntityTypes[E] | undefined;
  /**
   * Objects of `entity`; with `where`, only those whose `field` equals `value`, for the fields a
   * table can look up directly (see `INDEXED_FIELDS`). Unlisted fields return everything.
   */
  list<E extends EntityKind>(entity: E, where?: { field: string; value: ObjectPk }): EntityTypes[E][];
  create<E extends EntityKind>(entity: E, input: ObjectInput, pk: ObjectPk | undefined): EntityTypes[E];
  update<E extends EntityKind>(entity: E, pk: ObjectPk, input: ObjectInput): EntityTypes[E];
  delete(entity: EntityKind, pk: ObjectPk): void;
}

/** Fields a port can narrow `list` by: a primary key-like or foreign-key column per table. */
export const INDEXED_FIELDS: Readonly<Record<EntityKind, readonly string[]>> = {
  flow: ['slug'],
  binding: ['target'],
  policyBinding: ['target'],
  stage: ['name'],
  policy: ['name'],
  prompt: ['name'],
  user: ['username'],
  group: ['name'],
};

export interface FromAttrsResult {
  input: ObjectInput;
  /** Keys Flowbench's model does not have, with their (resolved) values. */
  unknown: Attrs;
  warnings: string[];
}

/** Remembered per entry so an object can be written back the way the file wrote it. */
export interface AttrsHints {
  /** Prompts: the file wrote `prompt_type` (an unreleased authentik branch) instead of `type`. */
  promptTypeKey?: 'type' | 'prompt_type';
}

/**
 * How one authentik model becomes a Flowbench object and back. The importer (resolved
 * `identifiers ∪ attrs` → object) and the exporter (object → `attrs`) share these.
 */
export interface ModelMapper<E extends EntityKind = EntityKind> {
  /** Canonical authentik model name. */
  readonly model: string;
  /** Older names of the same model, read on import and never written. */
  readonly aliases: readonly string[];
  readonly entity: E;
  /** Stage and policy kinds: the registry kind (same as `model`). */
  readonly kind?: string;
  /** authentik's verbose name, for messages. */
  readonly label: string;
  /** Field names the model has in `attrs` (identifiers may use any of these, plus `pk`). */
  readonly fields: readonly string[];
  /** Django names of the primary key besides `pk` (e.g. `flow_uuid`), accepted by `!Find`. */
  readonly pkAliases: readonly string[];
  /** Users: integer pks. */
  readonly integerPk: boolean;
  /** Whether an object of this entity belongs to this model (stage/policy kinds share tables). */
  owns(object: EntityTypes[E]): boolean;
  /** The object in `attrs` shape. */
  toAttrs(object: EntityTypes[E], hints?: AttrsHints): Attrs;
  /**
   * The object input for `attrs` (already merged with identifiers, and for an update with the
   * current object's attrs). Throws a `MapperError` for values Flowbench cannot represent.
   */
  fromAttrs(attrs: Record<string, unknown>, options: { current?: EntityTypes[E] }): FromAttrsResult;
}

/** A value an entry gives that Flowbench cannot represent; `field` is the attrs key. */
export class MapperError extends Error {
  override name = 'MapperError';
  constructor(
    readonly code: 'invalid-value' | 'unsupported',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
