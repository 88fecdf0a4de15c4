import { expect } from 'vitest';
import type {
  BlueprintValue,
  ScalarFormTagName,
  SequenceFormTagName,
  TagNode,
} from '../../../../src/main/blueprint/yaml';
import {
  ResolveError,
  resolveValue,
  type ResolveErrorCode,
  type ResolveScope,
  type ResolvedValue,
} from '../../../../src/main/blueprint/resolve';

export type Filter = readonly [string, unknown];

export interface FakeScopeOptions {
  context?: Record<string, BlueprintValue>;
  env?: Record<string, string>;
  files?: Record<string, string>;
  keys?: Record<string, string | number>;
  /** model → rows; `find` returns the `pk` of the first row matching every filter. */
  rows?: Record<string, Record<string, unknown>[]>;
}

/** A ResolveScope over plain maps that records the calls it gets. */
export function fakeScope(options: FakeScopeOptions = {}): ResolveScope & { calls: string[] } {
  const calls: string[] = [];
  const rows = options.rows ?? {};
  const match = (model: string, filters: ReadonlyArray<Filter>) => {
    const table = rows[model];
    if (!table) throw new ResolveError('FIND_UNKNOWN_MODEL', `Unknown model ${model}`);
    return table.find((row) => filters.every(([field, value]) => row[field] === value)) ?? null;
  };
  return {
    calls,
    context: options.context ?? {},
    explicit: { env: options.env ?? {}, files: options.files ?? {} },
    keyOf(id) {
      calls.push(`keyOf ${id}`);
      return options.keys?.[id];
    },
    find(model, filters) {
      calls.push(`find ${model} ${JSON.stringify(filters)}`);
      const row = match(model, filters);
      return row ? (row.pk as string | number) : null;
    },
    findObject(model, filters) {
      calls.push(`findObject ${model} ${JSON.stringify(filters)}`);
      return match(model, filters);
    },
  };
}

export function scalar(name: ScalarFormTagName, value: string): TagNode {
  return { $tag: name, value };
}

export function seq(name: SequenceFormTagName, ...args: BlueprintValue[]): TagNode {
  return { $tag: name, args };
}

export function resolve(
  value: BlueprintValue,
  scope: ResolveScope = fakeScope(),
  path?: (string | number)[],
): ResolvedValue {
  return resolveValue(value, scope, path);
}

/** Resolves and expects a ResolveError; returns it for further checks. */
export function resolveError(
  value: BlueprintValue,
  code: ResolveErrorCode,
  scope: ResolveScope = fakeScope(),
  path?: (string | number)[],
): ResolveError {
  try {
    resolveValue(value, scope, path);
  } catch (error) {
    expect(error).toBeInstanceOf(ResolveError);
    const resolveError = error as ResolveError;
    expect(resolveError.code, resolveError.message).toBe(code);
    return resolveError;
  }
  throw new Error(`expected ${code}, but the value resolved`);
}

/** A mapping built like the parser builds them: null prototype, keys in order. */
export function mapping(pairs: [string, BlueprintValue][]): Record<string, BlueprintValue> {
  const result = Object.create(null) as Record<string, BlueprintValue>;
  for (const [key, value] of pairs)
    Object.defineProperty(result, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return result;
}
