export { resolveValue } from './resolve';
export { mergeContext, deepMerge, deepMergeResolved, BUILT_IN_CONTEXT } from './merge';
export { MAX_RESOLVE_DEPTH } from './data';
export {
  pythonTruthy,
  pyRepr,
  pyStr,
  pyFloatRepr,
  pyStringRepr,
  pythonStrip,
  PyFloat,
} from './python';
export { pythonPercentFormat, PythonFormatError, MAX_FORMAT_WIDTH } from './python-format';
export { pythonJsonLoads, PythonJsonError } from './python-json';
export * from './types';
