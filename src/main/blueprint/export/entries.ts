import { type BlueprintEntry, type BlueprintMapping, type BlueprintValue } from '../yaml';
import { authentikOmits, isModelDefault, isSerializerInitial } from './defaults';
import {
  naturalKey,
  type ObjectRecord,
  type RefSpec,
  referenceSpecs,
  resolveRef,
  secretFields,
  UNMODELED_REFERENCE_FIELDS,
  modelOf,
} from './records';
import { type ObjectIndex, type ObjectRef, refKey } from './snapshot';
import { context, find, keyOf, sortKeysDeep, toBlueprintValue } from './values';

/** authentik's own entry key order: PyYAML dumps the entry dataclass with sorted keys. */
export const AUTHENTIK_ENTRY_KEY_ORDER = ['attrs', 'conditions', 'identifiers', 'model', 'permissions', 'state'];

/** Which fields of each object type authentik's exporter moves into identifiers (besides pk). */
const AUTHENTIK_IDENTIFIERS: Readonly<Record<ObjectRef['type'], readonly string[]>> = {
  flow: ['slug'],
  stage: ['name'],
  binding: ['target', 'stage', 'order'],
  policyBinding: ['policy', 'target', 'order'],
  policy: [],
  prompt: [],
  group: [],
  user: [],
};

export interface Collector {
  warnings: string[];
}

/** Describes an object for warnings: `stage "default-authentication-password"`. */
export function describeRef(index: ObjectIndex, ref: ObjectRef): string {
  const object = index.get(ref);
  const key = object ? naturalKey(ref.type, object) : undefined;
  const noun = ref.type === 'policyBinding' ? 'policy binding' : ref.type === 'binding' ? 'stage binding' : ref.type;
  if (key) return `${noun} "${key.value}"`;
  if (ref.type === 'binding' && object) {
    const binding = index.binding(String(ref.pk));
    const flow = binding ? index.flow(binding.target) : undefined;
    return `${noun} ${flow?.slug ?? '?'}@${binding?.order ?? '?'}`;
  }
  return `${noun} ${String(ref.pk)}`;
}

/**
 * authentik style (spec §7.7): identifiers `{pk, …}` per type; attrs = every other field except
 * empty defaults (`authentikOmits` in defaults.ts) and write-only secrets; `state: present`,
 * `conditions: []`, `permissions: []`; keys sorted like PyYAML writes them.
 */
export function authentikEntry(
  index: ObjectIndex,
  record: ObjectRecord,
  unknownAttrs: BlueprintMapping | undefined,
  out: Collector,
): BlueprintEntry {
  const identifierFields = AUTHENTIK_IDENTIFIERS[record.ref.type];
  const identifiers: BlueprintMapping = { pk: record.ref.pk };
  for (const field of identifierFields) identifiers[field] = toBlueprintValue(record.fields[field] ?? null);
  const attrs: BlueprintMapping = {};
  const secrets = secretFields(record);
  for (const [field, value] of Object.entries(record.fields)) {
    if (identifierFields.includes(field)) continue;
    if (secrets.includes(field)) {
      // authentik's serializers mark these write-only: a server export never contains them.
      if (!isSerializerInitial(value)) {
        out.warnings.push(`${describeRef(index, record.ref)}: secret "${field}" left out (write-only in authentik); set it after import`);
      }
      continue;
    }
    if (authentikOmits(record, field, value)) continue;
    attrs[field] = toBlueprintValue(value);
  }
  for (const [field, value] of Object.entries(unknownAttrs ?? {})) attrs[field] = value;
  return {
    model: record.model,
    state: 'present',
    identifiers: sortKeysDeep(identifiers) as BlueprintMapping,
    conditions: [],
    attrs: sortKeysDeep(attrs) as BlueprintMapping,
    permissions: [],
    keyOrder: AUTHENTIK_ENTRY_KEY_ORDER,
  };
}

export interface PortableContext {
  index: ObjectIndex;
  /** Ids of every object in the export. */
  ids: ReadonlyMap<string, string>;
  /** Objects already written (a `!KeyOf` may only point backwards). */
  written: ReadonlySet<string>;
  /** Context keys declared for secrets, with the comment to write above each. */
  secrets: Map<string, string>;
  out: Collector;
}

/**
 * A reference as portable YAML: `!KeyOf <id>` when the target is an earlier entry of this
 * export, else `!Find [model, [natural key, value]]`. A pk that names nothing in the workspace is
 * kept as it is (with a warning).
 */
export function portableReference(ctx: PortableContext, spec: RefSpec, pk: unknown, where: string): BlueprintValue {
  if (pk === null || pk === undefined) return null;
  const ref = resolveRef(ctx.index, spec, pk);
  if (!ref) {
    ctx.out.warnings.push(`${where}: "${String(pk)}" names no object in the workspace; written as is`);
    return toBlueprintValue(pk);
  }
  const key = refKey(ref);
  const id = ctx.ids.get(key);
  if (id !== undefined && ctx.written.has(key)) return keyOf(id);
  const object = ctx.index.get(ref);
  const natural = object ? naturalKey(ref.type, object) : undefined;
  if (object && natural) return find(modelOf(ref.type, object), natural.field, natural.value);
  ctx.out.warnings.push(`${where}: ${describeRef(ctx.index, ref)} cannot be looked up by a natural key; its pk is written`);
  return toBlueprintValue(pk);
}

function portableIdentifierFields(record: ObjectRecord): readonly string[] {
  switch (record.ref.type) {
    case 'flow':
      return ['slug'];
    case 'stage':
    case 'policy':
    case 'prompt':
    case 'group':
      return ['name'];
    case 'user':
      return ['username'];
    case 'binding':
      return ['target', 'stage', 'order'];
    case 'policyBinding': {
      const subject = (['policy', 'group', 'user'] as const).find((field) => record.fields[field] !== null) ?? 'policy';
      return [subject, 'target', 'order'];
    }
  }
}

/** The field's value in portable form: references resolved, secrets as `!Context`. */
function portableField(ctx: PortableContext, record: ObjectRecord, id: string, field: string, value: unknown): BlueprintValue {
  const where = `${describeRef(ctx.index, record.ref)} ${field}`;
  const spec = referenceSpecs(record).find((candidate) => candidate.field === field);
  if (spec) {
    if (spec.many) return Array.isArray(value) ? value.map((pk) => portableReference(ctx, spec, pk, where)) : toBlueprintValue(value);
    return portableReference(ctx, spec, value, where);
  }
  if (secretFields(record).includes(field)) {
    const key = `${id}.${field}`;
    ctx.secrets.set(key, `secret: ${field} of ${describeRef(ctx.index, record.ref)}; not exported, pass it as context`);
    ctx.out.warnings.push(`${where}: secret replaced by !Context ${key}; supply it when importing (e.g. --context ${key}=…)`);
    return context(key);
  }
  if (UNMODELED_REFERENCE_FIELDS[record.model]?.includes(field) && !isEmpty(value)) {
    ctx.out.warnings.push(`${where}: references objects Flowbench does not model; their pks are written as they are`);
  }
  return toBlueprintValue(value);
}

function isEmpty(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * Portable style: `id`, natural-key identifiers (bindings by `!KeyOf` target/stage/policy and
 * order), attrs without current defaults (except fields whose default changed between authentik
 * versions), references as `!KeyOf`/`!Find`, secrets as `!Context`. No pk anywhere.
 */
export function portableEntry(
  ctx: PortableContext,
  record: ObjectRecord,
  unknownAttrs: BlueprintMapping | undefined,
): BlueprintEntry {
  const id = ctx.ids.get(refKey(record.ref)) ?? refKey(record.ref);
  const identifierFields = portableIdentifierFields(record);
  const identifiers: BlueprintMapping = {};
  for (const field of identifierFields) identifiers[field] = portableField(ctx, record, id, field, record.fields[field] ?? null);
  const attrs: BlueprintMapping = {};
  const secrets = secretFields(record);
  for (const [field, value] of Object.entries(record.fields)) {
    if (identifierFields.includes(field)) continue;
    if (isModelDefault(record, field, value)) continue;
    // An empty secret is no secret: leave it out rather than ask for it.
    if (secrets.includes(field) && (value === '' || value === null)) continue;
    // A policy binding names exactly one of policy / group / user.
    if (record.ref.type === 'policyBinding' && ['policy', 'group', 'user'].includes(field) && value === null) continue;
    attrs[field] = portableField(ctx, record, id, field, value);
  }
  for (const [field, value] of Object.entries(unknownAttrs ?? {})) attrs[field] = value;
  const entry: BlueprintEntry = { model: record.model, id, identifiers };
  if (Object.keys(attrs).length > 0) entry.attrs = attrs;
  return entry;
}

/** Users leave without their password: never a hash (the snapshot does not even hold one). */
export function userWarnings(index: ObjectIndex, refs: readonly ObjectRef[], warnings: string[]): void {
  const withPassword = refs
    .filter((ref) => ref.type === 'user')
    .map((ref) => index.user(Number(ref.pk)))
    .filter((user) => user?.has_usable_password)
    .map((user) => user?.username ?? '');
  if (withPassword.length > 0) {
    warnings.push(
      `Users are exported without their passwords (Flowbench never exports password hashes); set them again after import: ${withPassword.join(', ')}`,
    );
  }
}
