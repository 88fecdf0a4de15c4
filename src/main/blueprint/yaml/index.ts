export { parseBlueprintDocument, type ParseBlueprintResult } from './parse';
export { serializeBlueprintDocument } from './serialize';
export { sniffAuthentikVersion, type VersionSniff } from './sniff';
export { isTagNode, isMapping } from './tags';
export { describeEntry, describeTag } from './describe';
export {
  entryFieldPosition,
  formatPath,
  pathKey,
  commentKey,
  stripSource,
  DOCUMENT_COMMENT_KEY,
} from './source-map';
export {
  PARSE_ERROR_CODES,
  PARSE_WARNING_CODES,
  type BlueprintParseError,
  type BlueprintParseWarning,
  type ParseErrorCode,
  type ParseWarningCode,
} from './errors';
export { DEFAULT_PARSE_OPTIONS, type ParseOptions, type SerializeOptions } from './options';
export * from './types';
