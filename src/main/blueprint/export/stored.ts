import { type JsonValue } from '@shared/model';
import { type BlueprintDocument, type BlueprintMapping } from '../yaml';

/** One entry row of an imported blueprint (table `blueprint_entries`). */
export interface StoredBlueprintEntry {
  /** Index into `document.entries`. */
  idx: number;
  /** The resolved, canonical model name. */
  model: string;
  /** The object the entry made or matched; null for meta, skipped, absent and verbatim entries. */
  objectPk: string | number | null;
  /** The object right after the import, in blueprint-attrs shape (all fields, raw pks). */
  snapshot: Record<string, JsonValue> | null;
  /** Attrs Flowbench's model does not have (e.g. an obsolete `template`), as written. */
  unknownAttrs: BlueprintMapping | null;
}

/** An imported blueprint as the workspace keeps it (table `blueprints`). */
export interface StoredBlueprint {
  pk: string;
  name: string;
  /** The file name it was imported from. */
  sourceName: string;
  /** The parsed document, without source positions. */
  document: BlueprintDocument;
  importedAt: string;
  entries: StoredBlueprintEntry[];
}
