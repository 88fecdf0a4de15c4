import { policyRegistry, stageRegistry } from '@shared/model';
import { isKnownAuthentikModel, META_MODELS } from './known-models';
import {
  bindingMapper,
  flowMapper,
  groupMapper,
  type Mapper,
  policyBindingMapper,
  policyMapperFor,
  promptMapper,
  stageMapperFor,
  userMapper,
} from './mappers';

/**
 * Every authentik model Flowbench models, keyed by authentik model name: one explicit object,
 * no self-registration. Stage and policy kinds come from the shared registries, so a kind added
 * there is importable here without another edit (test/unit/blueprint/import checks the key sets).
 */
export const MODEL_MAPPERS: Readonly<Record<string, Mapper>> = Object.freeze({
  [flowMapper.model]: flowMapper,
  [bindingMapper.model]: bindingMapper,
  [policyBindingMapper.model]: policyBindingMapper,
  [promptMapper.model]: promptMapper,
  [userMapper.model]: userMapper,
  [groupMapper.model]: groupMapper,
  ...Object.fromEntries(Object.values(stageRegistry).map((def) => [def.model, stageMapperFor(def)])),
  ...Object.fromEntries(Object.values(policyRegistry).map((def) => [def.model, policyMapperFor(def)])),
} as Record<string, Mapper>);

const BY_ALIAS: ReadonlyMap<string, Mapper> = new Map(
  Object.values(MODEL_MAPPERS).flatMap((mapper) => mapper.aliases.map((alias) => [alias, mapper] as const)),
);

/** The mapper for a model name or one of its older names (authentik compares them lowercased). */
export function mapperFor(model: string): Mapper | undefined {
  const name = model.toLowerCase();
  return MODEL_MAPPERS[name] ?? BY_ALIAS.get(name);
}

/** The current name for a model name: aliases become the canonical name, others are lowercased. */
export function canonicalModel(model: string): string {
  return mapperFor(model)?.model ?? model.toLowerCase();
}

export type ModelClass = 'modeled' | 'meta' | 'unmodeled' | 'unknown';

/** How the importer treats a (resolved) model name. */
export function classifyModel(model: string): ModelClass {
  const name = model.toLowerCase();
  if (mapperFor(name)) return 'modeled';
  if (META_MODELS.has(name)) return 'meta';
  if (isKnownAuthentikModel(name)) return 'unmodeled';
  return 'unknown';
}
