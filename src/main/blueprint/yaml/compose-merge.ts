import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { fail, formatPosition } from './errors';
import {
  chargeExpansion,
  derefAlias,
  nodePosition,
  YAML_TAG,
  type ComposeState,
  type ValueNode,
} from './compose-state';
import type { PathSegment } from './types';

/** `<<` merge keys, expanded the way PyYAML's SafeConstructor does. */

export interface SourcePair {
  key: Node | null;
  value: Node | null;
  /** Came in through a `<<` merge: a copy, so it counts against the alias budget. */
  merged: boolean;
}

function isMergeKey(key: Node | null): boolean {
  return (
    isScalar(key) &&
    ((key.tag === undefined && key.type === 'PLAIN' && key.value === '<<') ||
      key.tag === `${YAML_TAG}merge`)
  );
}

/** The mapping a merge source (`<< : *alias` or a list item) stands for. */
function mergeSource(
  value: Node | null,
  path: PathSegment[],
  state: ComposeState,
  flattening: Set<Node>,
): ValueNode | null {
  if (!isAlias(value)) return value as ValueNode | null;
  const target = derefAlias(value, path, state);
  if (flattening.has(target)) {
    const position = nodePosition(value, state);
    fail(
      'invalid-alias',
      `Alias *${value.source} at ${formatPosition(position)} merges a mapping into itself`,
      {
        position,
        path,
      },
    );
  }
  return target;
}

function invalidMerge(key: Node | null, path: PathSegment[], state: ComposeState): never {
  const position = nodePosition(key, state);
  return fail(
    'invalid-merge',
    `Merge key at ${formatPosition(position)} needs a mapping or a list of mappings`,
    {
      position,
      path,
    },
  );
}

/** Whether any key of the mapping is a `<<` merge key (most mappings have none). */
export function hasMergeKey(node: YAMLMap): boolean {
  for (const pair of node.items as Pair<Node | null, Node | null>[])
    if (isMergeKey(pair.key)) return true;
  return false;
}

/** PyYAML's `flatten_mapping`: merged pairs first (earlier merge sources win), then own pairs. */
export function flattenPairs(
  node: YAMLMap,
  path: PathSegment[],
  state: ComposeState,
  flattening: Set<Node>,
): SourcePair[] {
  const merged: SourcePair[] = [];
  const own: SourcePair[] = [];
  flattening.add(node);
  for (const pair of node.items as Pair<Node | null, Node | null>[]) {
    if (!isMergeKey(pair.key)) {
      own.push({ key: pair.key, value: pair.value, merged: false });
      continue;
    }
    const value = mergeSource(pair.value, path, state, flattening);
    // Merging copies pairs: charge them before copying, so merge chains that fan out (each
    // level merging many aliases of the one below) stop at the budget instead of looping.
    if (isMap(value)) {
      chargeExpansion(value, state, value.items.length);
      merged.push(
        ...flattenPairs(value, path, state, flattening).map((p) => ({ ...p, merged: true })),
      );
    } else if (isSeq(value)) {
      const groups: SourcePair[][] = [];
      for (const item of value.items as (Node | null)[]) {
        const sub = mergeSource(item, path, state, flattening);
        if (!isMap(sub)) invalidMerge(pair.key, path, state);
        chargeExpansion(sub, state, (sub as YAMLMap).items.length);
        groups.push(
          flattenPairs(sub as YAMLMap, path, state, flattening).map((p) => ({
            ...p,
            merged: true,
          })),
        );
      }
      for (const group of groups.reverse()) merged.push(...group);
    } else invalidMerge(pair.key, path, state);
  }
  flattening.delete(node);
  return merged.length === 0 ? own : [...merged, ...own];
}
