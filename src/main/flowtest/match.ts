import { type JsonValue } from '@shared/model';

/**
 * Subset matching for `expect.fields` and `users.<name>.attributes`: objects match when every
 * expected key matches (recursively; extra actual keys are fine), lists when they have the
 * same length and match item by item in order, scalars when they are equal.
 */

export interface Mismatch {
  /** Where, e.g. `fields[0].field_key` (empty = the value itself). */
  path: string;
  expected: JsonValue;
  /** `undefined` = the key is missing. */
  actual: JsonValue | undefined;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

export function subsetMismatches(expected: JsonValue, actual: JsonValue | undefined, path = ''): Mismatch[] {
  if (isObject(expected)) {
    if (!isObject(actual)) return [{ path, expected, actual }];
    return Object.entries(expected).flatMap(([key, value]) =>
      Object.hasOwn(actual, key) ? subsetMismatches(value, actual[key], join(path, key)) : [{ path: join(path, key), expected: value, actual: undefined }],
    );
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ path, expected, actual }];
    return expected.flatMap((item, i) => subsetMismatches(item, actual[i], join(path, i)));
  }
  return expected === actual ? [] : [{ path, expected, actual }];
}

/** `actual` cut down to the keys `expected` names (so a report shows what was compared). */
export function projectOnto(expected: JsonValue, actual: JsonValue | undefined): JsonValue | null {
  if (actual === undefined) return null;
  if (isObject(expected) && isObject(actual)) {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(expected)) if (Object.hasOwn(actual, key)) out[key] = projectOnto(expected[key]!, actual[key]) ?? null;
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    return actual.map((item, i) => projectOnto(expected[i]!, item) ?? null);
  }
  return actual;
}

/** A short one-line rendering of a JSON value for messages. */
export function show(value: JsonValue | undefined, max = 200): string {
  if (value === undefined) return '(missing)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function describeMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches.map((m) => `${m.path || '(value)'}: expected ${show(m.expected)}, got ${show(m.actual)}`).join('; ');
}
