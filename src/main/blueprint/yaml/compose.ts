import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { fail, formatPosition, type BlueprintParseWarning } from './errors';
import { flattenPairs, hasMergeKey, type SourcePair } from './compose-merge';
import { convertScalar, keyText } from './compose-scalar';
import {
  checkDepth,
  countExpansion,
  derefAlias,
  invalidTag,
  nodePosition,
  recording,
  resolveAliases,
  tagPosition,
  unknownTag,
  YAML_TAG,
  type ComposeState,
} from './compose-state';
import type { ResolvedParseOptions } from './options';
import { childPathKey, formatPath, pathKey, type SourceRecorder } from './source-map';
import { acceptsSequence, checkSequenceTag, isTagNode, tagNameFromYaml } from './tags';
import type { BlueprintMapping, BlueprintValue, PathSegment, SourcePosition } from './types';

export interface ComposedValue {
  root: BlueprintValue;
  /**
   * The keys of a composed mapping in written order. JavaScript objects list integer-like keys
   * ("0", "12") first whatever the insertion order, so those mappings get the order recorded.
   */
  keyOrderOf(mapping: BlueprintMapping): string[];
}

/** Keys JavaScript enumerates before all others: canonical array indexes. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;

/**
 * Turns the `yaml` AST into blueprint values with PyYAML's semantics: scalars typed by PyYAML's
 * resolvers, authentik tags as tag nodes, aliases and `<<` merges expanded (within a budget),
 * duplicate keys resolved last-wins, and mappings built on a null prototype.
 */
export function composeValue(
  doc: Document.Parsed,
  text: string,
  options: ResolvedParseOptions,
  positionOf: (offset: number) => SourcePosition,
  warnings: BlueprintParseWarning[],
  recorder: SourceRecorder | undefined,
): ComposedValue {
  const state: ComposeState = {
    text,
    options,
    positionOf,
    warnings,
    recorder,
    // Every anchor is written `&name` and every alias `*name`: without either character in the
    // text there is nothing to resolve, and the walk over the whole document can be skipped.
    aliasTargets:
      text.includes('&') || text.includes('*')
        ? resolveAliases(doc, positionOf, warnings)
        : new Map(),
    active: new Set(),
    expandedNodes: 0,
    expanding: 0,
    keyOrders: new WeakMap(),
  };
  const root = convert(doc.contents, [], 0, state, false, recorder ? '[]' : '');
  return { root, keyOrderOf: (mapping) => state.keyOrders.get(mapping) ?? Object.keys(mapping) };
}

/**
 * `key` is `pathKey(path)` while positions below `node` may be recorded, '' otherwise (no
 * recorder, inside a tag, or inside a copy made by an alias or a merge: all of that node's
 * descendants are in the same situation).
 */
function convert(
  node: Node | null | undefined,
  path: PathSegment[],
  depth: number,
  state: ComposeState,
  inTag: boolean,
  key: string,
): BlueprintValue {
  if (node === null || node === undefined) return null;
  // The checks below are inlined guards of countExpansion / checkDepth / recording: this runs
  // once per node.
  if (state.expanding > 0) countExpansion(node, state);
  if (depth > state.options.maxDepth) checkDepth(depth, node, path, state);
  if (state.recorder && state.expanding === 0 && !inTag)
    state.recorder.comment('value', path, node);
  if (isAlias(node)) {
    const target = derefAlias(node, path, state);
    state.expanding++;
    try {
      return convert(target, path, depth, state, inTag, '');
    } finally {
      state.expanding--;
    }
  }
  if (isScalar(node)) return convertScalar(node, path, state);
  if (isSeq(node)) return convertSeq(node, path, depth, state, inTag, key);
  if (isMap(node)) return convertMap(node, path, depth, state, inTag, key);
  return fail('syntax', `Unexpected YAML node at ${formatPosition(nodePosition(node, state))}`);
}

function convertSeq(
  node: YAMLSeq,
  path: PathSegment[],
  depth: number,
  state: ComposeState,
  inTag: boolean,
  key: string,
): BlueprintValue {
  const tag = node.tag;
  const name = tag === undefined ? undefined : tagNameFromYaml(tag);
  if (tag !== undefined && !name && tag !== `${YAML_TAG}seq`)
    return unknownTag(tag, node, path, state);
  state.active.add(node);
  const itemsInTag = inTag || name !== undefined;
  const items = node.items.map((item, index) => {
    const itemPath = [...path, index];
    const recorder = recording(state, itemsInTag);
    const itemKey = recorder && key !== '' ? childPathKey(key, index) : '';
    if (recorder && item && recorder.wantsPosition(itemPath, itemKey || pathKey(itemPath)))
      recorder.position(itemPath, nodePosition(item as Node, state), itemKey || undefined);
    return convert(item as Node | null, itemPath, depth + 1, state, itemsInTag, itemKey);
  });
  state.active.delete(node);
  if (!name || tag === undefined) return items;
  if (!acceptsSequence(name))
    return invalidTag(`!${name} takes a scalar, not a sequence`, tag, node, path, state);
  const check = checkSequenceTag(name, items);
  if (check.error) return invalidTag(check.error, tag, node, path, state);
  if (check.ignoredFrom !== undefined) {
    const position = tagPosition(node, tag, state);
    state.warnings.push({
      code: 'ignored-tag-args',
      message: `!${name} at ${formatPosition(position)} has ${items.length} arguments; authentik ignores those past the first ${check.ignoredFrom}`,
      position,
      path,
    });
  }
  return { $tag: name, args: items };
}

function convertMap(
  node: YAMLMap,
  path: PathSegment[],
  depth: number,
  state: ComposeState,
  inTag: boolean,
  mapKey: string,
): BlueprintValue {
  const tag = node.tag;
  if (tag !== undefined && tag !== `${YAML_TAG}map`) {
    const name = tagNameFromYaml(tag);
    if (name) return invalidTag(`!${name} does not take a mapping`, tag, node, path, state);
    return unknownTag(tag, node, path, state);
  }
  state.active.add(node);
  // Null prototype: keys such as `__proto__` or `constructor` stay ordinary data.
  const result: BlueprintMapping = Object.create(null) as BlueprintMapping;
  // Without `<<` keys every pair is the mapping's own, in order, and a key seen before is one
  // already in `result`; only merges need the flattened list and a separate record of own keys.
  const merging = hasMergeKey(node);
  const pairs: readonly (Omit<SourcePair, 'merged'> & { merged?: boolean })[] = merging
    ? flattenPairs(node, path, state, new Set())
    : (node.items as Pair<Node | null, Node | null>[]);
  const seen = merging ? new Set<string>() : undefined;
  // Written key order, kept from the first integer-like key on (see ComposedValue.keyOrderOf).
  let written: string[] | undefined;
  for (const pair of pairs) {
    const merged = pair.merged === true;
    if (merged) state.expanding++;
    try {
      const key = keyText(pair.key, path, state);
      const valuePath = [...path, key];
      if (!merged) {
        if (seen ? seen.has(key) : key in result) {
          const position = nodePosition(pair.key, state);
          const where = path.length > 0 ? formatPath(path) : 'the document';
          if (state.options.duplicateKeys === 'error') {
            fail('duplicate-key', `Key "${key}" appears twice in ${where} (again at ${formatPosition(position)}); remove one of them (authentik would silently keep the last value)`, {
              position,
              path: valuePath,
            });
          }
          state.warnings.push({
            code: 'duplicate-key',
            message: `Key "${key}" appears twice in ${path.length > 0 ? formatPath(path) : 'the document'} (again at ${formatPosition(position)}); the last value wins, as in authentik`,
            position,
            path: valuePath,
          });
        }
        seen?.add(key);
      }
      const recorder = recording(state, inTag);
      const valueKey = recorder && mapKey !== '' ? childPathKey(mapKey, key) : '';
      if (recorder && pair.key) {
        if (recorder.wantsPosition(valuePath, valueKey || pathKey(valuePath)))
          recorder.position(valuePath, nodePosition(pair.key, state), valueKey || undefined);
        recorder.comment('key', valuePath, pair.key);
      }
      if (!(key in result)) {
        if (written) written.push(key);
        else if (ARRAY_INDEX.test(key)) {
          // No integer-like key before this one, so the object still lists keys as written.
          written = Object.keys(result);
          written.push(key);
        }
      }
      result[key] = convert(pair.value, valuePath, depth + 1, state, inTag, valueKey);
    } finally {
      if (merged) state.expanding--;
    }
  }
  state.active.delete(node);
  if (written) state.keyOrders.set(result, written);
  if (isTagNode(result)) {
    const position = nodePosition(node, state);
    fail(
      'reserved-key',
      `Mapping at ${formatPosition(position)} has the exact shape of a tag node ($tag + value/args) and cannot be kept apart from one`,
      {
        position,
        path,
      },
    );
  }
  return result;
}
