import { type BlueprintDocument } from '../yaml';
import {
  type Attrs,
  type EntityKind,
  type EntityTypes,
  type ObjectPk,
  type ObjectPort,
} from '../models';

/** A blueprint the workspace already holds (table `blueprints`). */
export interface StoredBlueprintHead {
  pk: string;
  /** `metadata.name`, or the file name when the file had no metadata. */
  name: string;
  /** The file name or path as given when it was imported. */
  sourceName: string;
}

/** One row of `blueprint_entries` as the importer writes it. */
export interface StoredEntryWrite {
  idx: number;
  /** Canonical model name. */
  model: string;
  /** String form of the pk the entry made or matched; null for unmodeled, meta and skipped entries. */
  objectPk: string | null;
  /** The object after the import, in blueprint `attrs` shape. */
  snapshot: Attrs | null;
  /** attrs the Flowbench model does not have, kept to be written back on export. */
  unknownAttrs: Attrs | null;
}

export interface StoredBlueprintWrite {
  name: string;
  sourceName: string;
  /** Without source positions; comments, key order, sections and extra keys kept. */
  document: BlueprintDocument;
  /** Caller-supplied context minus secret-looking keys. */
  context: Record<string, unknown>;
  versionGuess: string;
  contentSha256: string;
  entries: StoredEntryWrite[];
}

/**
 * What the importer needs from the workspace. src/main/services/blueprints.ts implements it over
 * the store and the services; tests may implement it over anything. The blueprint layer never
 * touches SQLite itself (eslint keeps it that way).
 */
export interface ImportPort {
  readonly objects: ObjectPort;
  /**
   * The import's unit of work: one transaction (BEGIN IMMEDIATE); events are emitted after it
   * commits, together with one `workspace.changed {entity: 'workspace', action: 'replaced'}`.
   * Throwing rolls everything back and emits nothing.
   */
  transaction<T>(fn: () => T): T;
  /** A savepoint inside the transaction: throwing rolls back only what `fn` wrote. */
  savepoint<T>(fn: () => T): T;
  /**
   * Optional: the object with this pk as this import transaction last wrote it, when nothing can
   * have changed it since — equal to what `objects.get` would return, without reading it back.
   * Used for the entries' snapshots; undefined means "read it".
   */
  writtenObject?<E extends EntityKind>(entity: E, pk: ObjectPk): EntityTypes[E] | undefined;
  /** Blueprints stored in the workspace. */
  storedBlueprints(): StoredBlueprintHead[];
  /** A stored blueprint's document (without positions), for `!Find` on models kept verbatim. */
  storedDocument(pk: string): BlueprintDocument | undefined;
  /** Store (or, for an existing name, replace) a blueprint and its entries; returns its pk. */
  saveBlueprint(blueprint: StoredBlueprintWrite): string;
  /** The stored password hash of a user (undefined: no such user). */
  passwordHash(userPk: number): string | null | undefined;
  hashPassword(password: string): Promise<string>;
  verifyPassword(stored: string | null, password: string): Promise<boolean>;
}
