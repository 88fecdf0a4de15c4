import { isAlias, isScalar, type Node, type Scalar } from 'yaml';
import { fail, formatPosition } from './errors';
import {
  classifyPlain,
  constructBool,
  constructFloat,
  constructInt,
  constructTimestamp,
  type Constructed,
} from './pyyaml-scalars';
import {
  derefAlias,
  invalidTag,
  nodePosition,
  unknownTag,
  YAML_TAG,
  type ComposeState,
} from './compose-state';
import { acceptsScalar, checkScalarTag, tagNameFromYaml } from './tags';
import type { BlueprintValue, PathSegment } from './types';

/** Scalars and mapping keys, typed by PyYAML's rules (see pyyaml-scalars.ts). */

/** YAML 1.1 types PyYAML's SafeLoader knows but a blueprint value cannot hold. */
const UNSUPPORTED_STANDARD_TAGS = new Set(['binary', 'set', 'omap', 'pairs', 'merge', 'value']);

function constructedValue(
  result: Constructed,
  node: Scalar,
  path: PathSegment[],
  state: ComposeState,
) {
  if (!result.ok) {
    const position = nodePosition(node, state);
    return fail('invalid-scalar', `${result.reason} (at ${formatPosition(position)})`, {
      position,
      path,
    });
  }
  if (result.inexact) {
    const position = nodePosition(node, state);
    state.warnings.push({
      code: 'precision-loss',
      message: `Integer at ${formatPosition(position)} is too large to hold exactly`,
      position,
      path,
    });
  }
  return result.value;
}

function resolvePlain(
  text: string,
  node: Scalar,
  path: PathSegment[],
  state: ComposeState,
): BlueprintValue {
  const kind = classifyPlain(text);
  switch (kind) {
    case 'str':
      return text;
    case 'null':
      return null;
    case 'bool':
      return constructedValue(constructBool(text), node, path, state);
    case 'int':
      return constructedValue(constructInt(text), node, path, state);
    case 'float':
      return constructedValue(constructFloat(text), node, path, state);
    case 'timestamp':
      return constructedValue(constructTimestamp(text), node, path, state);
    case 'merge':
    case 'value': {
      // PyYAML resolves a plain `=` / `<<` value to a tag it has no constructor for.
      const position = nodePosition(node, state);
      state.warnings.push({
        code: 'pyyaml-incompatible',
        message: `Plain "${text}" at ${formatPosition(position)} is refused by authentik's YAML loader; it is read as a string here and written back quoted`,
        position,
        path,
      });
      return text;
    }
  }
}

export function convertScalar(
  node: Scalar,
  path: PathSegment[],
  state: ComposeState,
): BlueprintValue {
  const text = node.value === null || node.value === undefined ? '' : String(node.value);
  const tag = node.tag;
  if (tag === undefined)
    return node.type === 'PLAIN' ? resolvePlain(text, node, path, state) : text;
  const name = tagNameFromYaml(tag);
  if (name) {
    if (!acceptsScalar(name))
      return invalidTag(`!${name} takes a sequence, not a scalar`, tag, node, path, state);
    const problem = checkScalarTag(name, text);
    if (problem) return invalidTag(problem, tag, node, path, state);
    return { $tag: name, value: text };
  }
  if (!tag.startsWith(YAML_TAG)) return unknownTag(tag, node, path, state);
  const standard = tag.slice(YAML_TAG.length);
  switch (standard) {
    case 'str':
      return text;
    case 'null':
      return null;
    case 'bool':
      return constructedValue(constructBool(text), node, path, state);
    case 'int':
      return constructedValue(constructInt(text), node, path, state);
    case 'float':
      return constructedValue(constructFloat(text), node, path, state);
    case 'timestamp':
      return constructedValue(constructTimestamp(text), node, path, state);
    default:
      return UNSUPPORTED_STANDARD_TAGS.has(standard)
        ? unknownTag(tag, node, path, state, ' (not supported in blueprints)')
        : unknownTag(tag, node, path, state);
  }
}

const KIND_NAMES: Partial<Record<string, string>> = {
  bool: 'a boolean',
  int: 'an integer',
  float: 'a float',
  null: 'null',
  timestamp: 'a date',
};

function refuseKey(
  key: Node | null,
  path: PathSegment[],
  state: ComposeState,
  what: string,
): never {
  const position = nodePosition(key, state);
  return fail(
    'non-string-key',
    `Mapping key at ${formatPosition(position)} is ${what}; blueprint keys must be strings`,
    {
      position,
      path,
    },
  );
}

export function keyText(key: Node | null, path: PathSegment[], state: ComposeState): string {
  if (key === null) return refuseKey(key, path, state, 'empty (null)');
  const target = isAlias(key) ? derefAlias(key, path, state) : key;
  if (!isScalar(target)) return refuseKey(key, path, state, 'a collection');
  const text = target.value === null || target.value === undefined ? '' : String(target.value);
  if (target.tag === undefined && target.type === 'PLAIN') {
    const kind = classifyPlain(text);
    if (kind === 'str' || kind === 'value') return text;
    const what = KIND_NAMES[kind] ?? kind;
    const hint =
      kind === 'bool'
        ? ` (YAML 1.1 reads "${text}" as a boolean; quote it)`
        : ` (quote "${text}" to make it a string)`;
    return refuseKey(key, path, state, `${what}${hint}`);
  }
  const value = convertScalar(target, path, state);
  return typeof value === 'string' ? value : refuseKey(key, path, state, `not a string (${text})`);
}
