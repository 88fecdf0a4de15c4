import { type JsonValue } from '@shared/model';

/** Helpers that keep everything the engine hands out plain JSON. */

/** Python's `bool(value)` for JSON values: None, False, 0, "", [] and {} are falsy. */
export function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Python's `str(value)` for the primitives a context can hold. */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/**
 * Convert anything into JSON: `undefined` and functions are dropped from objects (null in
 * arrays), non-finite numbers become null, Dates ISO strings, Sets arrays, cycles "[Circular]".
 */
export function toJson(value: unknown, seen: Set<object> = new Set()): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return null;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      return Array.from(value as Iterable<unknown>, (item) => toJson(item, seen));
    }
    const out: Record<string, JsonValue> = {};
    const entries = value instanceof Map ? Array.from(value.entries()) : Object.entries(value);
    for (const [key, item] of entries) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out[String(key)] = toJson(item, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export function toJsonObject(value: Record<string, unknown>): Record<string, JsonValue> {
  const json = toJson(value);
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? json : {};
}

/** A deep copy through JSON (what a cache or a saved plan holds). */
export function cloneJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function isJsonObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python's `uuid.hex`: the UUID without dashes, lower case. */
export function uuidHex(pk: string): string {
  return pk.replaceAll('-', '').toLowerCase();
}

/** Django's `SafeExceptionReporterFilter.cleansed_substitute`. */
export const CLEANSED_SUBSTITUTE = '********************';
/** Django's `SafeExceptionReporterFilter.hidden_settings`. */
const HIDDEN_SETTINGS = /API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE/i;
/** authentik's `ALLOWED_SPECIAL_KEYS`: keys never cleansed although they match. */
const ALLOWED_SPECIAL_KEYS = /passing/i;

function cleanseItem(key: string, value: JsonValue): JsonValue {
  if (isJsonObject(value)) return cleanseDict(value);
  if (Array.isArray(value)) return value.map((item) => cleanseItem(key, item));
  if (HIDDEN_SETTINGS.test(key) && !ALLOWED_SPECIAL_KEYS.test(key)) return CLEANSED_SUBSTITUTE;
  return value;
}

/**
 * authentik's `cleanse_dict` (events/utils.py, 2024+): recursively replace the values of keys
 * that look like secrets (`password`, `token`, `api_key`, …) with the cleansed substitute.
 * Nested dicts and lists are walked (their own keys decide), as upstream does.
 */
export function cleanseDict(source: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(source)) out[key] = cleanseItem(key, value);
  return out;
}
