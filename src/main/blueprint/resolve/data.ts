import { isTagNode, type BlueprintMapping, type BlueprintValue } from '../yaml';
import { ResolveError, type ResolvedValue } from './types';

/**
 * Plain-data helpers shared by the resolver and the context merge. Every mapping they build has
 * a null prototype and gets its keys through defineProperty, so `__proto__`, `constructor` and
 * friends stay ordinary keys and nothing reaches Object.prototype.
 */

/**
 * Deepest nesting the resolver follows, counting collections and tag evaluations together.
 * authentik itself (CPython, recursion limit 1000, about two frames per level) gives up around
 * 500; the YAML layer refuses files nested deeper than 256.
 */
export const MAX_RESOLVE_DEPTH = 512;

export function newMapping<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  // Without a prototype there is no `__proto__` setter (nor any other) to reach: assigning
  // creates or updates a plain own property, exactly as the definition below does, only faster.
  if (Object.getPrototypeOf(target) === null) {
    target[key] = value;
    return;
  }
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** A YAML mapping (not a sequence, not a tag node). */
export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isTagNode(value);
}

export function tooDeep(path: ReadonlyArray<string | number>, detail = ''): ResolveError {
  return new ResolveError(
    'RESOLVE_TOO_DEEP',
    `Nesting deeper than ${MAX_RESOLVE_DEPTH} levels while resolving tags${detail}; authentik would fail with a RecursionError here`,
    path,
  );
}

/** Deep copy of a document value, tags included, with null-prototype mappings. */
export function cloneBlueprintValue(
  value: BlueprintValue | undefined,
  path: ReadonlyArray<string | number> = [],
  depth = 0,
): BlueprintValue {
  if (depth > MAX_RESOLVE_DEPTH) throw tooDeep(path);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneBlueprintValue(item, path, depth + 1));
  if (isTagNode(value)) {
    if ('args' in value) {
      return {
        $tag: value.$tag,
        args: value.args.map((item) => cloneBlueprintValue(item, path, depth + 1)),
      };
    }
    return { $tag: value.$tag, value: value.value };
  }
  const copy = newMapping<BlueprintValue>();
  for (const key of Object.keys(value))
    setOwn(copy, key, cloneBlueprintValue(value[key], path, depth + 1));
  return copy as BlueprintMapping;
}

/** Deep copy of resolved data. */
export function cloneResolved(value: ResolvedValue, depth = 0): ResolvedValue {
  if (depth > MAX_RESOLVE_DEPTH) throw tooDeep([]);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneResolved(item, depth + 1));
  const copy = newMapping<ResolvedValue>();
  for (const key of Object.keys(value))
    setOwn(copy, key, cloneResolved(value[key] as ResolvedValue, depth + 1));
  return copy;
}

/**
 * Turns what a scope hands back (`findObject` data) into resolved data: JSON-like values as
 * they are, Dates as ISO text, bigints as numbers (as text when too large to hold exactly),
 * anything with `toJSON` through it. Returns undefined for values with no data form
 * (functions, symbols, undefined).
 */
export function toResolved(value: unknown, depth = 0): ResolvedValue | undefined {
  if (depth > MAX_RESOLVE_DEPTH) throw tooDeep([]);
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    return value.map((item) => {
      const converted = toResolved(item, depth + 1);
      return converted === undefined ? null : converted;
    });
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') {
    return toResolved((withJson.toJSON as () => unknown).call(value), depth + 1);
  }
  const copy = newMapping<ResolvedValue>();
  for (const key of Object.keys(value)) {
    const converted = toResolved((value as Record<string, unknown>)[key], depth + 1);
    if (converted !== undefined) setOwn(copy, key, converted);
  }
  return copy;
}
