import {
  findKind,
  flowFields,
  flowStageBindingFields,
  groupFields,
  type JsonValue,
  policyBindingShape,
  policyRegistry,
  promptFields,
  stageRegistry,
  userFields,
} from '@shared/model';
import { z } from 'zod';
import { type ObjectRecord } from './records';

/**
 * authentik's exporter drops a field when its value equals the API serializer field's *initial*
 * value (`get_attrs` in authentik/blueprints/v1/common.py). Django REST framework fields do not
 * take the model default as initial: booleans start at false, strings at "", lists and
 * many-relations at [], dicts at {}, everything else at null. So a server export omits
 * `compatibility_mode: false` but keeps `policy_engine_mode: any` and
 * `failed_attempts_before_cancel: 5`; the authentik style does the same (see `authentikOmits`).
 */
export function isSerializerInitial(value: unknown): boolean {
  if (value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * Fields whose default changed between authentik versions (spec §2.1, §5.10): a portable export
 * always writes them, so a file means the same on an older server.
 */
export const VERSION_SENSITIVE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'authentik_flows.flowstagebinding': ['evaluate_on_plan', 're_evaluate_policies'],
  'authentik_stages_consent.consentstage': ['mode'],
};

type Shape = Record<string, z.ZodType>;

function defaultsOf(shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}

function shapeOf(schema: z.ZodType): Shape {
  return schema instanceof z.ZodObject ? (schema.shape as Shape) : {};
}

const cache = new Map<string, Record<string, unknown>>();

/** The current model defaults of a record's fields (from the shared zod model), by field. */
export function modelDefaults(record: Pick<ObjectRecord, 'ref' | 'model'>): Readonly<Record<string, unknown>> {
  const key = `${record.ref.type}:${record.model}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let defaults: Record<string, unknown>;
  switch (record.ref.type) {
    case 'flow':
      defaults = defaultsOf(flowFields.shape);
      break;
    case 'binding':
      defaults = defaultsOf(flowStageBindingFields.shape);
      break;
    case 'policyBinding':
      defaults = defaultsOf(policyBindingShape.shape);
      break;
    case 'prompt':
      defaults = defaultsOf(promptFields.shape);
      break;
    case 'group':
      defaults = defaultsOf(groupFields.shape);
      break;
    case 'user':
      defaults = defaultsOf(userFields.shape);
      break;
    case 'stage': {
      const kind = findKind(stageRegistry, record.model);
      defaults = kind ? defaultsOf(shapeOf(kind.config)) : {};
      break;
    }
    case 'policy': {
      const kind = findKind(policyRegistry, record.model);
      defaults = { execution_logging: false, ...(kind ? defaultsOf(shapeOf(kind.config)) : {}) };
      break;
    }
  }
  cache.set(key, defaults);
  return defaults;
}

/** True when `value` is the current default of `field` and the portable style may leave it out. */
export function isModelDefault(record: Pick<ObjectRecord, 'ref' | 'model'>, field: string, value: unknown): boolean {
  if (VERSION_SENSITIVE_FIELDS[record.model]?.includes(field)) return false;
  return equalsCurrentDefault(record, field, value);
}

function equalsCurrentDefault(record: Pick<ObjectRecord, 'ref' | 'model'>, field: string, value: unknown): boolean {
  const defaults = modelDefaults(record);
  return Object.hasOwn(defaults, field) && deepEqual(defaults[field], value);
}

/**
 * What the authentik style leaves out: a serializer-initial value (as authentik does) that is
 * also the field's current default. authentik itself also drops initial values that differ from
 * the default — `re_evaluate_policies: false`, a prompt's `required: false`, a policy binding's
 * `enabled: false` — so its exports re-import with those flipped (goauthentik/authentik#19861);
 * those, and required fields such as an empty prompt label, are written here.
 */
export function authentikOmits(record: Pick<ObjectRecord, 'ref' | 'model'>, field: string, value: unknown): boolean {
  return isSerializerInitial(value) && equalsCurrentDefault(record, field, value);
}

/** Structural equality of JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
}

export type { JsonValue };
