import { isTagNode, type BlueprintMapping, type BlueprintValue, type TagNode } from '../yaml';

/** A plain copy of a JSON-like value as a blueprint value (fresh arrays and objects). */
export function toBlueprintValue(value: unknown): BlueprintValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toBlueprintValue);
  if (typeof value === 'object') {
    if (isTagNode(value)) return cloneValue(value);
    const out: BlueprintMapping = {};
    for (const [key, item] of Object.entries(value)) out[key] = toBlueprintValue(item);
    return out;
  }
  return null;
}

/** Deep copy of a blueprint value, tags included. */
export function cloneValue<T extends BlueprintValue>(value: T): T {
  return structuredClone(value);
}

/**
 * The same value with every mapping's keys sorted (code-point order), as PyYAML's `dump` writes
 * them (`sort_keys=True`); tag nodes are left as they are.
 */
export function sortKeysDeep(value: BlueprintValue): BlueprintValue {
  if (value === null || typeof value !== 'object') return value;
  if (isTagNode(value)) return value;
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  const out: BlueprintMapping = {};
  for (const key of Object.keys(value).sort(codePointCompare)) out[key] = sortKeysDeep(value[key] as BlueprintValue);
  return out;
}

function codePointCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function keyOf(id: string): TagNode {
  return { $tag: 'KeyOf', value: id };
}

export function find(model: string, field: string, value: string | number): TagNode {
  return { $tag: 'Find', args: [model, [field, value]] };
}

export function context(key: string): TagNode {
  return { $tag: 'Context', value: key };
}
