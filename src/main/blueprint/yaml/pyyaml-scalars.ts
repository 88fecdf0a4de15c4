/**
 * Scalar typing exactly as authentik's loader does it. authentik's `BlueprintLoader` subclasses
 * PyYAML's `SafeLoader`, whose implicit resolvers follow YAML 1.1 with PyYAML's own regexes.
 * The `yaml` package's 'yaml-1.1' schema differs in places (it reads `y`/`n` as booleans, `1e5`
 * and `09` as numbers, timestamps as Dates), so plain scalars are resolved here instead.
 */

// The implicit resolvers of PyYAML's `Resolver` (resolver.py), in registration order.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const MERGE = /^<<$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
const VALUE = /^=$/;

/** Matches every plain text PyYAML would not read as a string; the serializer quotes these. */
export const PYYAML_NON_STRING = new RegExp(
  [BOOL, FLOAT, INT, MERGE, NULL, TIMESTAMP, VALUE].map((re) => `(?:${re.source})`).join('|'),
);

export type PlainKind = 'bool' | 'float' | 'int' | 'merge' | 'null' | 'timestamp' | 'value' | 'str';

export function classifyPlain(text: string): PlainKind {
  // Most plain scalars are strings: one test of the union rules them out of every other kind.
  if (!PYYAML_NON_STRING.test(text)) return 'str';
  if (BOOL.test(text)) return 'bool';
  if (FLOAT.test(text)) return 'float';
  if (INT.test(text)) return 'int';
  if (MERGE.test(text)) return 'merge';
  if (NULL.test(text)) return 'null';
  if (TIMESTAMP.test(text)) return 'timestamp';
  if (VALUE.test(text)) return 'value';
  return 'str';
}

/** A constructed scalar, or why PyYAML's constructor would raise. */
export type Constructed =
  | { ok: true; value: null | boolean | number | string; inexact?: true }
  | { ok: false; reason: string };

const ok = (value: null | boolean | number | string): Constructed => ({ ok: true, value });
const bad = (reason: string): Constructed => ({ ok: false, reason });

const BOOL_VALUES: Record<string, boolean> = {
  yes: true,
  no: false,
  true: true,
  false: false,
  on: true,
  off: false,
};

export function constructBool(text: string): Constructed {
  const value = BOOL_VALUES[text.toLowerCase()];
  return value === undefined ? bad(`"${text}" is not a YAML 1.1 boolean`) : ok(value);
}

/** Python's `int(text, base)` after PyYAML removed underscores: digits of the base only. */
function parseBigInt(digits: string, base: 2 | 8 | 10 | 16): bigint | undefined {
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base];
  if (!valid.test(digits)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base];
  return BigInt(prefix + digits);
}

function fromBigInt(value: bigint): Constructed {
  const number = Number(value);
  // -0 is not an integer PyYAML can produce; keep deep equality simple.
  const result: Constructed = { ok: true, value: number === 0 ? 0 : number };
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
    result.inexact = true;
  return result;
}

/** PyYAML's `construct_yaml_int`. */
export function constructInt(text: string): Constructed {
  let body = text.replace(/_/g, '');
  let sign = 1n;
  if (body.startsWith('-')) sign = -1n;
  if (body.startsWith('-') || body.startsWith('+')) body = body.slice(1);
  const invalid = bad(`"${text}" is not an integer`);
  if (body === '') return invalid;
  let magnitude: bigint | undefined;
  if (body === '0') magnitude = 0n;
  else if (body.startsWith('0b')) magnitude = parseBigInt(body.slice(2), 2);
  else if (body.startsWith('0x')) magnitude = parseBigInt(body.slice(2), 16);
  else if (body.startsWith('0')) magnitude = parseBigInt(body, 8);
  else if (body.includes(':')) {
    // Sexagesimal: 1:30 is 90.
    magnitude = 0n;
    let base = 1n;
    for (const part of body.split(':').reverse()) {
      const digit = parseBigInt(part, 10);
      if (digit === undefined) return invalid;
      magnitude += digit * base;
      base *= 60n;
    }
  } else magnitude = parseBigInt(body, 10);
  return magnitude === undefined ? invalid : fromBigInt(sign * magnitude);
}

/** Python's `float(text)` for the texts PyYAML passes it (underscores removed, lower-cased). */
function pythonFloat(text: string): number | undefined {
  const body = text.trim();
  const match = /^([+-]?)(?:(inf|infinity|nan)|((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))$/.exec(body);
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  if (match[2] !== undefined)
    return match[2] === 'nan' ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * Number(match[3]);
}

/** PyYAML's `construct_yaml_float`. */
export function constructFloat(text: string): Constructed {
  let body = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (body.startsWith('-')) sign = -1;
  if (body.startsWith('-') || body.startsWith('+')) body = body.slice(1);
  const invalid = bad(`"${text}" is not a float`);
  if (body === '.inf') return ok(sign * Number.POSITIVE_INFINITY);
  if (body === '.nan') return ok(Number.NaN);
  if (body.includes(':')) {
    let value = 0;
    let base = 1;
    for (const part of body.split(':').reverse()) {
      const digit = pythonFloat(part);
      if (digit === undefined) return invalid;
      value += digit * base;
      base *= 60;
    }
    return ok(sign * value);
  }
  const value = pythonFloat(body);
  return value === undefined ? invalid : ok(sign * value);
}

const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * PyYAML's `construct_yaml_timestamp` builds a `date`/`datetime`, which validates the fields.
 * The value is kept as the text written (see README: timestamps).
 */
export function constructTimestamp(text: string): Constructed {
  const match = TIMESTAMP_PARTS.exec(text);
  if (!match) return bad(`"${text}" is not a timestamp`);
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return bad(`"${text}" is not a valid date`);
  }
  if (match[4] !== undefined) {
    const [hour, minute, second] = [match[4], match[5], match[6]].map(Number) as [
      number,
      number,
      number,
    ];
    if (hour > 23 || minute > 59 || second > 59) return bad(`"${text}" is not a valid time`);
    if (match[10] !== undefined) {
      const offset = Number(match[10]) * 60 + Number(match[11] ?? 0);
      if (offset >= 24 * 60) return bad(`"${text}" has a time zone offset of a day or more`);
    }
  }
  return ok(text);
}
