import { type JsonValue } from '@shared/model';
import { type AttrsHints } from '../models';
import { isMapping, type BlueprintEntry } from '../yaml';
import { recordFor } from './records';
import { type ObjectIndex, type ObjectRef } from './snapshot';

/** What the importer remembered about how the entry wrote the object (see models/types.ts). */
export function hintsFor(entry: BlueprintEntry): AttrsHints {
  const wrote = (key: string) =>
    (isMapping(entry.attrs) && Object.hasOwn(entry.attrs, key)) || (isMapping(entry.identifiers) && Object.hasOwn(entry.identifiers, key));
  return wrote('prompt_type') && !wrote('type') ? { promptTypeKey: 'prompt_type' } : {};
}

/**
 * The object as it is now, in the blueprint-attrs shape the importer stored as the entry's
 * snapshot (the same mapper, the same hints), so the two compare field by field.
 */
export function currentAttrs(index: ObjectIndex, ref: ObjectRef, entry: BlueprintEntry): Record<string, JsonValue> | undefined {
  return recordFor(index, ref, hintsFor(entry))?.fields as Record<string, JsonValue> | undefined;
}
