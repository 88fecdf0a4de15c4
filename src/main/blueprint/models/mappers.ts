import {
  flowFields,
  flowStageBindingFields,
  groupFields,
  type KindDef,
  policyBindingShape,
  policyFields,
  promptFields,
  stageFields,
  userFields,
} from '@shared/model';
import { z } from 'zod';
import { type Attrs, type AttrsHints, type EntityKind, type FromAttrsResult, MapperError, type ModelMapper } from './types';

/**
 * A mapper plus what the importer needs besides conversion: the zod schema of the object's
 * fields (to tell "unchanged" from "updated" before writing) and how an update merges the
 * entry's attrs over the current object's.
 */
export interface Mapper<E extends EntityKind = EntityKind> extends ModelMapper<E> {
  /** The shared model's create schema for `fromAttrs(...).input.fields`. */
  readonly schema: z.ZodType;
  /** attrs for a partial update: the entry's keys over the current object's (default: spread). */
  mergeForUpdate(current: Attrs, given: Record<string, unknown>): Record<string, unknown>;
}

function keysOf(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Split `attrs` into the keys a model knows and the rest. */
function split(attrs: Record<string, unknown>, known: ReadonlySet<string>): { known: Record<string, unknown>; unknown: Attrs } {
  const inside: Record<string, unknown> = {};
  const outside: Attrs = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (known.has(key)) inside[key] = value;
    else outside[key] = value as Attrs[string];
  }
  return { known: inside, unknown: outside };
}

const spread = (current: Attrs, given: Record<string, unknown>): Record<string, unknown> => ({ ...current, ...given });

function simple<E extends EntityKind>(options: {
  model: string;
  entity: E;
  label: string;
  schema: z.ZodType;
  pkAliases: string[];
  fields?: string[];
}): Pick<Mapper<E>, 'model' | 'aliases' | 'entity' | 'label' | 'fields' | 'pkAliases' | 'integerPk' | 'schema' | 'owns' | 'mergeForUpdate'> {
  return {
    model: options.model,
    aliases: [],
    entity: options.entity,
    label: options.label,
    fields: options.fields ?? keysOf(options.schema),
    pkAliases: options.pkAliases,
    integerPk: false,
    schema: options.schema,
    owns: () => true,
    mergeForUpdate: spread,
  };
}

function withoutPk(object: { pk: unknown }): Attrs {
  const { pk: _pk, ...rest } = object;
  return rest as Attrs;
}

/** Fields that take a plain value where authentik also accepts the object's `{pk: …}` form. */
function fromAttrsBasic(fields: readonly string[]) {
  const known = new Set(fields);
  return (attrs: Record<string, unknown>): FromAttrsResult => {
    const parts = split(attrs, known);
    return { input: { fields: parts.known }, unknown: parts.unknown, warnings: [] };
  };
}

// ---------------------------------------------------------------------------------------------

export const flowMapper: Mapper<'flow'> = {
  ...simple({
    model: 'authentik_flows.flow',
    entity: 'flow',
    label: 'Flow',
    schema: flowFields,
    // A flow's pk is its policy-binding-model pk too (Flowbench keeps them equal).
    pkAliases: ['flow_uuid', 'pbm_uuid', 'policybindingmodel_ptr_id'],
  }),
  toAttrs: withoutPk,
  fromAttrs(attrs) {
    const result = fromAttrsBasic(keysOf(flowFields))(attrs);
    // authentik ≤2025.x exports a missing background as null; Flowbench stores "".
    if (result.input.fields.background === null) result.input.fields.background = '';
    return result;
  },
};

export const bindingMapper: Mapper<'binding'> = {
  ...simple({
    model: 'authentik_flows.flowstagebinding',
    entity: 'binding',
    label: 'Flow Stage Binding',
    schema: flowStageBindingFields,
    pkAliases: ['fsb_uuid', 'pbm_uuid', 'policybindingmodel_ptr_id'],
  }),
  toAttrs: withoutPk,
  fromAttrs: fromAttrsBasic(keysOf(flowStageBindingFields)),
};

/**
 * `target` is the pk of the policy-binding model (PBM) the binding hangs on. authentik's importer
 * swaps a `!KeyOf` of a Flow or FlowStageBinding entry for that object's `pbm_uuid` here (spec
 * §7.3.4). In Flowbench a flow's pk and a stage binding's pk ARE their PBM pk (the
 * policy_binding_models rows share them, see migration 0001), so `target: !KeyOf flow` or
 * `target: !KeyOf some-binding` needs no translation at all.
 */
export const policyBindingMapper: Mapper<'policyBinding'> = {
  ...simple({
    model: 'authentik_policies.policybinding',
    entity: 'policyBinding',
    label: 'Policy Binding',
    schema: policyBindingShape,
    pkAliases: ['policy_binding_uuid'],
  }),
  toAttrs: withoutPk,
  fromAttrs: fromAttrsBasic(keysOf(policyBindingShape)),
};

const PROMPT_FIELDS = [...keysOf(promptFields), 'prompt_type'];

export const promptMapper: Mapper<'prompt'> = {
  ...simple({
    model: 'authentik_stages_prompt.prompt',
    entity: 'prompt',
    label: 'Prompt',
    schema: promptFields,
    pkAliases: ['prompt_uuid'],
    fields: PROMPT_FIELDS,
  }),
  toAttrs(prompt, hints?: AttrsHints) {
    const { pk: _pk, type, ...rest } = prompt;
    // Written back under the key the file used: `prompt_type` exists only on an authentik branch.
    return hints?.promptTypeKey === 'prompt_type' ? { ...rest, prompt_type: type } : { ...rest, type };
  },
  mergeForUpdate(current, given) {
    const base: Record<string, unknown> = { ...current };
    if ('prompt_type' in given && !('type' in given)) delete base.type;
    if ('type' in given && !('prompt_type' in given)) delete base.prompt_type;
    return { ...base, ...given };
  },
  fromAttrs(attrs) {
    const result = fromAttrsBasic(PROMPT_FIELDS)(attrs);
    const fields = result.input.fields;
    if ('prompt_type' in fields) {
      if ('type' in fields && fields.type !== fields.prompt_type) {
        throw new MapperError(
          'invalid-value',
          `The prompt gives both \`type\` (${JSON.stringify(fields.type)}) and \`prompt_type\` (${JSON.stringify(fields.prompt_type)}); they are the same field under two names.`,
          'prompt_type',
        );
      }
      fields.type = fields.prompt_type;
      delete fields.prompt_type;
    }
    return result;
  },
};

/**
 * User fields, plus `password` (hashed by the importer before the transaction) and
 * `password_hash` (newer authentik: a pre-hashed password, stored as given).
 */
const USER_FIELDS = [...keysOf(userFields), 'password', 'password_hash'];

export const userMapper: Mapper<'user'> = {
  ...simple({
    model: 'authentik_core.user',
    entity: 'user',
    label: 'User',
    schema: userFields,
    pkAliases: ['id'],
    fields: USER_FIELDS,
  }),
  integerPk: true,
  toAttrs(user) {
    return {
      username: user.username,
      name: user.name,
      email: user.email,
      is_active: user.is_active,
      type: user.type,
      path: user.path,
      attributes: user.attributes,
      groups: user.groups,
    };
  },
  fromAttrs(attrs) {
    // Passwords are the importer's business (hashed up front); they never reach the fields.
    const { password: _password, password_hash: _hash, ...rest } = attrs;
    return fromAttrsBasic(keysOf(userFields))(rest);
  },
};

export const groupMapper: Mapper<'group'> = {
  ...simple({
    model: 'authentik_core.group',
    entity: 'group',
    label: 'Group',
    schema: groupFields,
    pkAliases: ['group_uuid'],
    fields: [...keysOf(groupFields), 'parents'],
  }),
  toAttrs: withoutPk,
  mergeForUpdate(current, given) {
    const base: Record<string, unknown> = { ...current };
    if ('parents' in given && !('parent' in given)) delete base.parent;
    return { ...base, ...given };
  },
  fromAttrs(attrs) {
    const result = fromAttrsBasic([...keysOf(groupFields), 'parents'])(attrs);
    const fields = result.input.fields;
    if ('parents' in fields) {
      const parents = fields.parents;
      delete fields.parents;
      if (parents === null) {
        fields.parent = null;
      } else if (!Array.isArray(parents)) {
        throw new MapperError('invalid-value', '`parents` must be a list of group pks.', 'parents');
      } else if (parents.length > 1) {
        throw new MapperError(
          'unsupported',
          `The group lists ${parents.length} parents; Flowbench groups have one parent, as in authentik 2025.x. Keep one of them in \`parents\` (or write \`parent: <pk>\`).`,
          'parents',
        );
      } else {
        const parent = parents[0] ?? null;
        if ('parent' in fields && fields.parent !== parent) {
          throw new MapperError('invalid-value', '`parent` and `parents` name different groups; give only one of them.', 'parents');
        }
        fields.parent = parent;
      }
    }
    return result;
  },
};

function kindMapper<E extends 'stage' | 'policy'>(entity: E, def: KindDef): Mapper<E> {
  const configKeys = keysOf(def.config);
  const base = entity === 'stage' ? ['name'] : ['name', 'execution_logging'];
  const fields = [...base, ...configKeys];
  const configSet = new Set(configKeys);
  return {
    model: def.model,
    aliases: def.aliases ?? [],
    entity,
    kind: def.model,
    label: def.label,
    fields,
    pkAliases: entity === 'stage' ? ['stage_uuid'] : ['policy_uuid'],
    integerPk: false,
    schema: entity === 'stage' ? stageFields : policyFields,
    owns: (object) => object.kind === def.model,
    mergeForUpdate: spread,
    toAttrs(object) {
      const out: Attrs = { name: object.name };
      if (entity === 'policy') out.execution_logging = (object as { execution_logging: boolean }).execution_logging;
      return { ...out, ...(object.config as Attrs) };
    },
    fromAttrs(attrs) {
      const config: Record<string, unknown> = {};
      const out: Record<string, unknown> = { kind: def.model, config };
      const unknown: Attrs = {};
      for (const [key, value] of Object.entries(attrs)) {
        if (base.includes(key)) out[key] = value;
        else if (configSet.has(key)) config[key] = value;
        else unknown[key] = value as Attrs[string];
      }
      return { input: { fields: out }, unknown, warnings: [] };
    },
  };
}

export const stageMapperFor = (def: KindDef): Mapper<'stage'> => kindMapper('stage', def);
export const policyMapperFor = (def: KindDef): Mapper<'policy'> => kindMapper('policy', def);
