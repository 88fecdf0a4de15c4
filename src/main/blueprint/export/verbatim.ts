import { isTagNode, type BlueprintEntry, type BlueprintMapping, type BlueprintValue } from '../yaml';
import { typeOfModel } from './records';
import { type ObjectRef, type ObjectType, refKey } from './snapshot';
import { type StoredBlueprint, type StoredBlueprintEntry } from './stored';
import { cloneValue } from './values';

/** Models that are instructions to the importer, not objects (spec §7.5); never re-exported. */
const META_MODELS: ReadonlySet<string> = new Set(['authentik_blueprints.metaapplyblueprint']);

/** Blueprints in import order (then pk), the order later imports override earlier ones. */
export function inImportOrder(blueprints: readonly StoredBlueprint[]): StoredBlueprint[] {
  return [...blueprints].sort((a, b) =>
    a.importedAt < b.importedAt ? -1 : a.importedAt > b.importedAt ? 1 : a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0,
  );
}

/** The object an entry row made, when its model is one Flowbench stores. */
export function rowRef(row: StoredBlueprintEntry): ObjectRef | undefined {
  if (row.objectPk === null) return undefined;
  const type = typeOfModel(row.model);
  if (!type) return undefined;
  return { type, pk: type === 'user' ? Number(row.objectPk) : String(row.objectPk) };
}

/** A row kept verbatim: a model Flowbench does not store (brands, applications, …), not a meta model. */
export function isVerbatimRow(row: StoredBlueprintEntry): boolean {
  return row.objectPk === null && typeOfModel(row.model) === undefined && !META_MODELS.has(row.model.toLowerCase());
}

/** Unknown attrs per object, merged over every import (later imports win). */
export function unknownAttrsByObject(blueprints: readonly StoredBlueprint[]): Map<string, BlueprintMapping> {
  const out = new Map<string, BlueprintMapping>();
  for (const blueprint of inImportOrder(blueprints)) {
    for (const row of [...blueprint.entries].sort((a, b) => a.idx - b.idx)) {
      const ref = rowRef(row);
      if (!ref || !row.unknownAttrs || Object.keys(row.unknownAttrs).length === 0) continue;
      const key = refKey(ref);
      out.set(key, { ...(out.get(key) ?? {}), ...cloneValue(row.unknownAttrs) });
    }
  }
  return out;
}

/**
 * The entries of unmodeled models from every imported blueprint, as written, for a
 * whole-workspace export. `!KeyOf` tags pointing at an entry that made a workspace object are
 * rewritten through `referenceTo` (the export's own way of naming that object); tags pointing
 * at other verbatim entries stay, and so do those entries' ids. The same (model, identifiers)
 * from several imports is written once, as last imported.
 */
export function verbatimEntries(
  blueprints: readonly StoredBlueprint[],
  referenceTo: (ref: ObjectRef) => BlueprintValue | undefined,
  warnings: string[],
): BlueprintEntry[] {
  const byIdentity = new Map<string, BlueprintEntry>();
  for (const blueprint of inImportOrder(blueprints)) {
    const idToRow = new Map<string, StoredBlueprintEntry>();
    for (const row of blueprint.entries) {
      const id = blueprint.document.entries[row.idx]?.id;
      if (typeof id === 'string') idToRow.set(id, row);
    }
    for (const row of [...blueprint.entries].sort((a, b) => a.idx - b.idx)) {
      if (!isVerbatimRow(row)) continue;
      const source = blueprint.document.entries[row.idx];
      if (!source) continue;
      const { section: _section, source: _source, ...rest } = cloneValue(source as unknown as BlueprintMapping) as unknown as BlueprintEntry;
      const where = `${blueprint.sourceName} entry ${row.idx} (${row.model})`;
      const rewrite = (value: BlueprintValue): BlueprintValue => {
        if (value === null || typeof value !== 'object') return value;
        if (isTagNode(value)) {
          if (value.$tag === 'KeyOf' && 'value' in value) {
            const target = idToRow.get(value.value);
            const ref = target ? rowRef(target) : undefined;
            if (ref) {
              const replacement = referenceTo(ref);
              if (replacement !== undefined) return replacement;
              warnings.push(`${where}: !KeyOf ${value.value} names an object that is not in this export; kept as written`);
            }
            return value;
          }
          if ('args' in value) return { ...value, args: value.args.map(rewrite) };
          return value;
        }
        if (Array.isArray(value)) return value.map(rewrite);
        const out: BlueprintMapping = {};
        for (const [key, item] of Object.entries(value)) out[key] = rewrite(item as BlueprintValue);
        return out;
      };
      const entry: BlueprintEntry = {
        ...rest,
        identifiers: rest.identifiers ? (rewrite(rest.identifiers) as BlueprintMapping) : rest.identifiers,
        attrs: rest.attrs ? (rewrite(rest.attrs) as BlueprintMapping) : rest.attrs,
        conditions: rest.conditions?.map(rewrite),
      };
      if (entry.identifiers === undefined) delete entry.identifiers;
      if (entry.attrs === undefined) delete entry.attrs;
      if (entry.conditions === undefined) delete entry.conditions;
      const identity = JSON.stringify([row.model, source.identifiers ?? null]);
      byIdentity.delete(identity);
      byIdentity.set(identity, entry);
    }
  }
  const entries = [...byIdentity.values()];
  if (entries.length > 0) {
    warnings.push(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} of models Flowbench does not model written back as imported`);
  }
  return entries;
}

export type { ObjectType };
