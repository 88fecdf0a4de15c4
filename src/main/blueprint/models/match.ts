import { type Mapper } from './mappers';
import { type Attrs, type ObjectPk } from './types';

/*
 * Matching objects the way authentik's importer and `!Find` query them with Django: identifiers
 * are `pk == identifiers.pk OR AND(other identifiers)`, dict values by JSON containment
 * (PostgreSQL `@>`), `!Find` pairs may use a few Django lookups (`slug__iexact`, `pk__in`, …).
 */

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** UUIDs compare case- and dash-insensitively, as Django's UUIDField does. */
function normalizeScalar(value: unknown): unknown {
  if (typeof value === 'string' && UUID.test(value)) return value.replaceAll('-', '').toLowerCase();
  return value;
}

/**
 * Equality as a database lookup sees it: UUID spelling does not matter, and an integer column
 * matches the digits of a string ("10" = 10), since Django casts the lookup value to the field.
 */
export function valuesEqual(actual: unknown, expected: unknown): boolean {
  if (actual === undefined) actual = null;
  if (expected === undefined) expected = null;
  if (Array.isArray(actual) || Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      Array.isArray(expected) &&
      actual.length === expected.length &&
      actual.every((item, index) => valuesEqual(item, expected[index]))
    );
  }
  if (isPlainObject(actual) || isPlainObject(expected)) {
    if (!isPlainObject(actual) || !isPlainObject(expected)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((key) => key in actual && valuesEqual(actual[key], expected[key]));
  }
  const a = normalizeScalar(actual);
  const b = normalizeScalar(expected);
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string' && /^-?\d+$/.test(b.trim())) return a === Number(b);
  if (typeof b === 'number' && typeof a === 'string' && /^-?\d+$/.test(a.trim())) return b === Number(a);
  return false;
}

/** PostgreSQL `@>`: every key (recursively) and every array element of `expected` is in `actual`. */
export function jsonContains(actual: unknown, expected: unknown): boolean {
  if (isPlainObject(expected)) {
    return isPlainObject(actual) && Object.entries(expected).every(([key, value]) => key in actual && jsonContains(actual[key], value));
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.every((item) => actual.some((candidate) => jsonContains(candidate, item)));
  }
  return valuesEqual(actual, expected);
}

/** `{pk: x}` identifier values collapse to `x` (authentik accepts either form for references). */
export function collapsePkDicts(identifiers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(identifiers)) {
    out[key] = isPlainObject(value) && 'pk' in value ? value.pk : value;
  }
  return out;
}

/** The identifier fields a model does not have (authentik: "Invalid identifier field"). */
export function invalidIdentifierFields(mapper: Mapper, identifiers: Record<string, unknown>): string[] {
  const valid = new Set(['pk', ...mapper.fields, ...mapper.pkAliases]);
  return Object.keys(identifiers).filter((key) => !valid.has(key));
}

/** An object seen as authentik's query sees it: its pk and its attrs. */
export interface Queryable {
  pk: ObjectPk;
  attrs: Attrs;
}

function fieldValue(mapper: Mapper | undefined, object: Queryable, field: string): unknown {
  if (field === 'pk' || mapper?.pkAliases.includes(field)) return object.pk;
  return object.attrs[field];
}

/** AND of the identifiers other than `pk`; dict values by containment. */
export function matchesAll(mapper: Mapper | undefined, object: Queryable, identifiers: Record<string, unknown>): boolean {
  return Object.entries(identifiers).every(([field, expected]) => {
    const actual = fieldValue(mapper, object, field);
    return isPlainObject(expected) ? jsonContains(actual, expected) : valuesEqual(actual, expected);
  });
}

// ---------------------------------------------------------------------------------------------
// Django-style `!Find` filters

export const FIND_LOOKUPS = [
  'exact',
  'iexact',
  'in',
  'isnull',
  'contains',
  'icontains',
  'startswith',
  'istartswith',
  'endswith',
  'iendswith',
] as const;
export type FindLookup = (typeof FIND_LOOKUPS)[number];
const LOOKUP_SET: ReadonlySet<string> = new Set(FIND_LOOKUPS);

export interface FindFilter {
  /** The field, then keys into its JSON value (Django's `attributes__team__name`). */
  path: string[];
  lookup: FindLookup;
  value: unknown;
}

const UNSUPPORTED_LOOKUPS: ReadonlySet<string> = new Set([
  'gt', 'gte', 'lt', 'lte', 'range', 'regex', 'iregex', 'year', 'month', 'day', 'week_day', 'date', 'time',
  'search', 'has_key', 'has_keys', 'has_any_keys', 'contained_by', 'overlap', 'len',
]);

/**
 * Reads a `!Find` pair such as `[slug, x]`, `[name__iexact, X]`, `[attributes__team, x]`.
 * Throws an Error whose message says what Flowbench supports.
 */
export function parseFindFilter(mapper: Mapper | undefined, field: string, value: unknown): FindFilter {
  const parts = field.split('__');
  const last = parts.at(-1) ?? '';
  let lookup: FindLookup = 'exact';
  if (parts.length > 1 && LOOKUP_SET.has(last)) {
    lookup = last as FindLookup;
    parts.pop();
  } else if (parts.length > 1 && UNSUPPORTED_LOOKUPS.has(last)) {
    throw new Error(
      `"${field}": the Django lookup "${last}" is not supported by Flowbench's !Find; use one of ${FIND_LOOKUPS.join(', ')}.`,
    );
  }
  const [base = '', ...keys] = parts;
  if (mapper) {
    const valid = base === 'pk' || mapper.pkAliases.includes(base) || mapper.fields.includes(base);
    if (!valid) throw new Error(`${mapper.model} has no field "${base}" (fields: pk, ${mapper.fields.join(', ')}).`);
    if (keys.length > 0 && base !== 'attributes') {
      throw new Error(
        `"${field}": Flowbench's !Find follows no relations; it takes plain fields with the lookups ${FIND_LOOKUPS.join(', ')} (and keys into \`attributes\`).`,
      );
    }
  }
  if (lookup === 'in' && !Array.isArray(value)) throw new Error(`"${field}" needs a list of values.`);
  return { path: [base, ...keys], lookup, value };
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function evaluateFindFilter(mapper: Mapper | undefined, object: Queryable, filter: FindFilter): boolean {
  const [base = '', ...keys] = filter.path;
  let actual: unknown = fieldValue(mapper, object, base);
  for (const key of keys) actual = isPlainObject(actual) ? actual[key] : undefined;
  const expected = filter.value;
  switch (filter.lookup) {
    case 'exact':
      return valuesEqual(actual, expected);
    case 'iexact': {
      const a = textOf(actual);
      const b = textOf(expected);
      return a !== undefined && b !== undefined ? a.toLowerCase() === b.toLowerCase() : valuesEqual(actual, expected);
    }
    case 'in':
      return Array.isArray(expected) && expected.some((item) => valuesEqual(actual, item));
    case 'isnull':
      return (actual === null || actual === undefined) === Boolean(expected);
    case 'contains':
    case 'icontains': {
      if (Array.isArray(actual) || isPlainObject(actual)) return jsonContains(actual, expected);
      const a = textOf(actual);
      const b = textOf(expected);
      if (a === undefined || b === undefined) return false;
      return filter.lookup === 'contains' ? a.includes(b) : a.toLowerCase().includes(b.toLowerCase());
    }
    case 'startswith':
    case 'istartswith':
    case 'endswith':
    case 'iendswith': {
      let a = textOf(actual);
      let b = textOf(expected);
      if (a === undefined || b === undefined) return false;
      if (filter.lookup.startsWith('i')) {
        a = a.toLowerCase();
        b = b.toLowerCase();
      }
      return filter.lookup.endsWith('startswith') ? a.startsWith(b) : a.endsWith(b);
    }
  }
}
