import {
  findKind,
  type Flow,
  type Group,
  type JsonValue,
  type KindDef,
  type Policy,
  policyRegistry,
  type Prompt,
  type Stage,
  stageRegistry,
  type User,
} from '@shared/model';
import { type AttrsHints, type Mapper, mapperFor } from '../models';
import { type ObjectIndex, type ObjectRef, type ObjectType, type WorkspaceObject } from './snapshot';

export const MODEL = {
  flow: 'authentik_flows.flow',
  binding: 'authentik_flows.flowstagebinding',
  policyBinding: 'authentik_policies.policybinding',
  prompt: 'authentik_stages_prompt.prompt',
  group: 'authentik_core.group',
  user: 'authentik_core.user',
} as const;

/** A field holding pks of other workspace objects (authentik FK / M2M). */
export interface RefSpec {
  readonly field: string;
  /** Where the pk may point; a policy binding's `target` is a flow or a stage binding. */
  readonly targets: readonly ObjectType[];
  readonly many: boolean;
}

/**
 * One workspace object in blueprint-attrs shape: every field authentik's serializer writes
 * (identifier fields included, pk excluded), references as raw pks.
 */
export interface ObjectRecord {
  readonly ref: ObjectRef;
  readonly model: string;
  readonly fields: Readonly<Record<string, JsonValue>>;
}

const configureFlow: RefSpec = { field: 'configure_flow', targets: ['flow'], many: false };

/**
 * Reference fields of stage configs, by model. The same facts as store/references.ts, which
 * blueprint code may not import (it takes ports, not adapters); a unit test keeps them equal.
 */
export const STAGE_REFERENCE_SPECS: Readonly<Record<string, readonly RefSpec[]>> = {
  'authentik_stages_identification.identificationstage': [
    { field: 'password_stage', targets: ['stage'], many: false },
    { field: 'captcha_stage', targets: ['stage'], many: false },
    { field: 'webauthn_stage', targets: ['stage'], many: false },
    { field: 'enrollment_flow', targets: ['flow'], many: false },
    { field: 'recovery_flow', targets: ['flow'], many: false },
    { field: 'passwordless_flow', targets: ['flow'], many: false },
  ],
  'authentik_stages_password.passwordstage': [configureFlow],
  'authentik_stages_prompt.promptstage': [
    { field: 'fields', targets: ['prompt'], many: true },
    { field: 'validation_policies', targets: ['policy'], many: true },
  ],
  'authentik_stages_user_write.userwritestage': [{ field: 'create_users_group', targets: ['group'], many: false }],
  'authentik_stages_redirect.redirectstage': [{ field: 'target_flow', targets: ['flow'], many: false }],
  'authentik_stages_authenticator_validate.authenticatorvalidatestage': [
    { field: 'configuration_stages', targets: ['stage'], many: true },
  ],
  'authentik_stages_authenticator_totp.authenticatortotpstage': [configureFlow],
  'authentik_stages_authenticator_static.authenticatorstaticstage': [configureFlow],
  'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage': [configureFlow],
  'authentik_stages_authenticator_duo.authenticatorduostage': [configureFlow],
  'authentik_stages_authenticator_sms.authenticatorsmsstage': [configureFlow],
  'authentik_stages_authenticator_email.authenticatoremailstage': [configureFlow],
  'authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage': [configureFlow],
};

/** Stage references that make the referenced stage part of the referrer's flow (spec §7.7). */
export const EMBEDDED_STAGE_FIELDS: readonly string[] = [
  'password_stage',
  'captcha_stage',
  'webauthn_stage',
  'configuration_stages',
];

/** Config fields holding pks of objects Flowbench does not store (sources, device types, mappings). */
export const UNMODELED_REFERENCE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'authentik_stages_identification.identificationstage': ['sources'],
  'authentik_stages_authenticator_validate.authenticatorvalidatestage': ['webauthn_allowed_device_types'],
  'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage': ['device_type_restrictions'],
  'authentik_stages_authenticator_sms.authenticatorsmsstage': ['mapping'],
  'authentik_stages_source.sourcestage': ['source'],
};

const BINDING_REFS: readonly RefSpec[] = [
  { field: 'target', targets: ['flow'], many: false },
  { field: 'stage', targets: ['stage'], many: false },
];
const POLICY_BINDING_REFS: readonly RefSpec[] = [
  { field: 'policy', targets: ['policy'], many: false },
  { field: 'group', targets: ['group'], many: false },
  { field: 'user', targets: ['user'], many: false },
  { field: 'target', targets: ['flow', 'binding'], many: false },
];
const GROUP_REFS: readonly RefSpec[] = [{ field: 'parent', targets: ['group'], many: false }];
const USER_REFS: readonly RefSpec[] = [{ field: 'groups', targets: ['group'], many: true }];

export function referenceSpecs(record: Pick<ObjectRecord, 'ref' | 'model'>): readonly RefSpec[] {
  switch (record.ref.type) {
    case 'stage':
      return STAGE_REFERENCE_SPECS[record.model] ?? [];
    case 'binding':
      return BINDING_REFS;
    case 'policyBinding':
      return POLICY_BINDING_REFS;
    case 'group':
      return GROUP_REFS;
    case 'user':
      return USER_REFS;
    default:
      return [];
  }
}

/** The field authentik's `!Find` can look an object up by, and its value; none for bindings. */
export function naturalKey(type: ObjectType, object: WorkspaceObject): { field: string; value: string } | undefined {
  switch (type) {
    case 'flow':
      return { field: 'slug', value: (object as Flow).slug };
    case 'stage':
    case 'policy':
    case 'prompt':
    case 'group':
      return { field: 'name', value: (object as Stage | Policy | Prompt | Group).name };
    case 'user':
      return { field: 'username', value: (object as User).username };
    default:
      return undefined;
  }
}

export function modelOf(type: ObjectType, object: WorkspaceObject): string {
  switch (type) {
    case 'stage':
    case 'policy':
      return mapperFor((object as Stage | Policy).kind)?.model ?? (object as Stage | Policy).kind;
    default:
      return MODEL[type];
  }
}

/** The kind's secret config keys (KindDef.secrets): never written by a portable export. */
export function secretFields(record: Pick<ObjectRecord, 'ref' | 'model'>): readonly string[] {
  let kind: KindDef | undefined;
  if (record.ref.type === 'stage') kind = findKind<KindDef>(stageRegistry, record.model);
  if (record.ref.type === 'policy') kind = findKind<KindDef>(policyRegistry, record.model);
  return kind?.secrets ?? [];
  return [];
}

/**
 * The object's fields in blueprint-attrs shape: the importer's mapper for the model
 * (models/mappers.ts), so exports and the stored import snapshots use one shape. Users carry
 * their profile only: the snapshot holds no password hash, and neither does this.
 */
export function recordOf(type: ObjectType, object: WorkspaceObject, hints?: AttrsHints): ObjectRecord {
  const ref: ObjectRef = { type, pk: object.pk };
  const model = modelOf(type, object);
  const mapper = mapperFor(model);
  if (!mapper || mapper.entity !== type) throw new Error(`No blueprint mapper for ${type} model "${model}"`);
  const fields = (mapper as Mapper<typeof type>).toAttrs(object as never, hints) as Record<string, JsonValue>;
  return { ref, model, fields };
}

export function recordFor(index: ObjectIndex, ref: ObjectRef, hints?: AttrsHints): ObjectRecord | undefined {
  const object = index.get(ref);
  return object ? recordOf(ref.type, object, hints) : undefined;
}

/** The refs a record points at through its reference fields (existing objects only). */
export function referencedRefs(index: ObjectIndex, record: ObjectRecord): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const spec of referenceSpecs(record)) {
    const value = record.fields[spec.field];
    const values = spec.many ? (Array.isArray(value) ? value : []) : [value];
    for (const pk of values) {
      const ref = resolveRef(index, spec, pk);
      if (ref) out.push(ref);
    }
  }
  return out;
}

/** Which object a raw pk in a reference field names, if it exists. */
export function resolveRef(index: ObjectIndex, spec: RefSpec, pk: unknown): ObjectRef | undefined {
  if (typeof pk !== 'string' && typeof pk !== 'number') return undefined;
  for (const type of spec.targets) {
    const ref: ObjectRef = { type, pk };
    if (index.has(ref)) return ref;
  }
  return undefined;
}


/** Which workspace object type an authentik model name maps to (aliases included); none for unmodeled models. */
export function typeOfModel(model: string): ObjectType | undefined {
  return mapperFor(model)?.entity;
}
