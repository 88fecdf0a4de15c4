import type { BlueprintMapping, BlueprintValue } from '../yaml';
import {
  MAX_RESOLVE_DEPTH,
  cloneBlueprintValue,
  hasOwn,
  isPlainMapping,
  newMapping,
  setOwn,
  tooDeep,
} from './data';
import type { ResolvedValue } from './types';

/**
 * authentik merges with deepmerge's `always_merger`: two mappings merge key by key, two lists
 * are concatenated (the later list appended), anything else is replaced by the later value.
 * Pure: neither input is touched, the result shares nothing with them.
 */
function alwaysMerge(
  base: BlueprintValue,
  next: BlueprintValue,
  isMapping: (value: unknown) => value is Record<string, unknown>,
  depth: number,
): BlueprintValue {
  if (depth > MAX_RESOLVE_DEPTH) throw tooDeep([]);
  if (isMapping(base) && isMapping(next)) {
    const result = newMapping<BlueprintValue>();
    for (const key of Object.keys(base))
      setOwn(result, key, cloneBlueprintValue(base[key] as BlueprintValue));
    for (const key of Object.keys(next)) {
      const incoming = next[key] as BlueprintValue;
      setOwn(
        result,
        key,
        hasOwn(result, key)
          ? alwaysMerge(result[key] as BlueprintValue, incoming, isMapping, depth + 1)
          : cloneBlueprintValue(incoming),
      );
    }
    return result as BlueprintMapping;
  }
  if (Array.isArray(base) && Array.isArray(next)) {
    return [...base, ...next].map((item) => cloneBlueprintValue(item));
  }
  return cloneBlueprintValue(next);
}

/** always_merger over document values: tag nodes are values, never mappings. */
export function deepMerge(base: BlueprintValue, next: BlueprintValue): BlueprintValue {
  return alwaysMerge(base, next, isPlainMapping, 0);
}

function isResolvedMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** always_merger over resolved data, where every object is a mapping (even one shaped like a tag). */
export function deepMergeResolved(base: ResolvedValue, next: ResolvedValue): ResolvedValue {
  return alwaysMerge(base, next, isResolvedMapping, 0) as ResolvedValue;
}

/** Context keys authentik sets before anything else (`Importer.default_context`). */
export const BUILT_IN_CONTEXT: Readonly<Record<string, BlueprintValue>> = Object.freeze({
  /** Flowbench holds no authentik enterprise licence. */
  'goauthentik.io/enterprise/licensed': false,
  /** authentik fills in model_name → app_label for every allowed model; Flowbench leaves it empty. */
  'goauthentik.io/rbac/models': Object.freeze({}) as BlueprintMapping,
});

/**
 * alwaysMerge of `next` into `base`, where `base` is this module's own intermediate result
 * (shared with nothing): it is updated in place instead of copied again, `next` is copied.
 */
function mergeIntoOwned(base: BlueprintValue, next: BlueprintValue, depth: number): BlueprintValue {
  if (depth > MAX_RESOLVE_DEPTH) throw tooDeep([]);
  if (isPlainMapping(base) && isPlainMapping(next)) {
    for (const key of Object.keys(next)) {
      const incoming = next[key] as BlueprintValue;
      setOwn(
        base,
        key,
        hasOwn(base, key)
          ? mergeIntoOwned(base[key] as BlueprintValue, incoming, depth + 1)
          : cloneBlueprintValue(incoming),
      );
    }
    return base as BlueprintMapping;
  }
  if (Array.isArray(base) && Array.isArray(next)) {
    for (const item of next) base.push(cloneBlueprintValue(item));
    return base;
  }
  return cloneBlueprintValue(next);
}

type ContextInput = Readonly<Record<string, BlueprintValue>> | null | undefined;

/**
 * The blueprint context authentik resolves `!Context` against (spec §7.1): built-ins, then the
 * file's `context:`, then the caller's (instance) context, each deep-merged over the one before
 * with `always_merger` (so later scalars win, mappings merge, lists are appended).
 */
export function mergeContext(
  builtIns: ContextInput,
  fileContext: ContextInput,
  callerContext: ContextInput,
): Record<string, BlueprintValue> {
  let merged: BlueprintValue = newMapping<BlueprintValue>();
  for (const layer of [builtIns, fileContext, callerContext]) {
    // authentik ignores a context that is not a mapping (its merge result is discarded).
    if (!isPlainMapping(layer)) continue;
    // Same result as `deepMerge(merged, layer)`; `merged` is ours, so it is not copied again.
    merged = mergeIntoOwned(merged, layer as BlueprintMapping, 0);
  }
  return merged as Record<string, BlueprintValue>;
}
