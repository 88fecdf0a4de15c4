/**
 * How authentik blueprint models map onto Flowbench objects and back. The importer uses both
 * directions (entry → object, object → snapshot); the exporter uses object → attrs.
 */
export { MODEL_MAPPERS, mapperFor, canonicalModel, classifyModel, type ModelClass } from './registry';
export { type Mapper } from './mappers';
export { KNOWN_AUTHENTIK_MODELS, META_MODELS, isKnownAuthentikModel, builtInContext } from './known-models';
export * from './types';
export * from './match';
