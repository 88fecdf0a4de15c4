import {
  isAlias,
  visit,
  type Alias,
  type Document,
  type Node,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { fail, formatPosition, type BlueprintParseWarning } from './errors';
import type { ResolvedParseOptions } from './options';
import type { SourceRecorder } from './source-map';
import type { BlueprintMapping, PathSegment, SourcePosition } from './types';

/** What the composer carries through the walk, and the helpers every compose-*.ts file shares. */

export const YAML_TAG = 'tag:yaml.org,2002:';

export type ValueNode = Scalar | YAMLMap | YAMLSeq;

export interface ComposeState {
  readonly text: string;
  readonly options: ResolvedParseOptions;
  readonly positionOf: (offset: number) => SourcePosition;
  readonly warnings: BlueprintParseWarning[];
  readonly recorder: SourceRecorder | undefined;
  /** The anchored node each alias refers to, computed once (see resolveAliases). */
  readonly aliasTargets: Map<Alias, ValueNode | undefined>;
  /** Collections being converted right now: an alias to one of them is a cycle. */
  readonly active: Set<Node>;
  /** Nodes produced so far by alias and merge expansion. */
  expandedNodes: number;
  /** Above zero while converting a copy produced by an alias or merge (nothing is recorded). */
  expanding: number;
  /** Written key order of mappings whose object order differs (see ComposedValue.keyOrderOf). */
  readonly keyOrders: WeakMap<BlueprintMapping, string[]>;
}

/**
 * Maps each alias to the last node anchored with its name before it, in one pass. (The `yaml`
 * package's `Alias.resolve` walks the whole document per call, quadratic for hostile input.)
 */
export function resolveAliases(
  doc: Document.Parsed,
  positionOf: (offset: number) => SourcePosition,
  warnings: BlueprintParseWarning[],
): Map<Alias, ValueNode | undefined> {
  const anchors = new Map<string, ValueNode>();
  const targets = new Map<Alias, ValueNode | undefined>();
  let warned = false;
  visit(doc, {
    Alias: (_key, node) => {
      targets.set(node, anchors.get(node.source));
    },
    Node: (_key, node) => {
      if (isAlias(node) || !node.anchor) return;
      if (anchors.has(node.anchor) && !warned) {
        warned = true;
        const position = positionOf(node.range?.[0] ?? 0);
        warnings.push({
          code: 'pyyaml-incompatible',
          message: `Anchor &${node.anchor} is defined twice (again at ${formatPosition(position)}); authentik's YAML loader refuses duplicate anchors`,
          position,
        });
      }
      anchors.set(node.anchor, node);
    },
  });
  return targets;
}

export function nodePosition(node: Node | null | undefined, state: ComposeState): SourcePosition {
  return state.positionOf(node?.range?.[0] ?? 0);
}

/** Where the tag is written (`!Foo` precedes the node's own range), for error messages. */
export function tagPosition(node: ValueNode, tag: string, state: ComposeState): SourcePosition {
  const start = node.range?.[0] ?? 0;
  const written = tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag;
  const index = state.text.lastIndexOf(written, start);
  return state.positionOf(index >= 0 && start - index < 4096 ? index : start);
}

export function countExpansion(node: Node | null | undefined, state: ComposeState): void {
  if (state.expanding > 0) chargeExpansion(node, state, 1);
}

export function chargeExpansion(
  node: Node | null | undefined,
  state: ComposeState,
  nodes: number,
): void {
  state.expandedNodes += nodes;
  if (state.expandedNodes > state.options.maxAliasNodes) {
    const position = nodePosition(node, state);
    fail(
      'alias-limit',
      `Aliases expand to more than ${state.options.maxAliasNodes} nodes (at ${formatPosition(position)}); refusing a possible alias bomb`,
      { position },
    );
  }
}

export function checkDepth(
  depth: number,
  node: Node,
  path: PathSegment[],
  state: ComposeState,
): void {
  if (depth > state.options.maxDepth) {
    const position = nodePosition(node, state);
    fail(
      'too-deep',
      `Nesting deeper than ${state.options.maxDepth} levels at ${formatPosition(position)}`,
      {
        position,
        path,
      },
    );
  }
}

export function recording(state: ComposeState, inTag: boolean): SourceRecorder | undefined {
  return state.expanding === 0 && !inTag ? state.recorder : undefined;
}

export function derefAlias(node: Alias, path: PathSegment[], state: ComposeState): ValueNode {
  const target = state.aliasTargets.get(node);
  const position = nodePosition(node, state);
  if (!target) {
    fail(
      'invalid-alias',
      `Alias *${node.source} at ${formatPosition(position)} has no anchor before it`,
      {
        position,
        path,
      },
    );
  }
  if (state.active.has(target)) {
    fail(
      'invalid-alias',
      `Alias *${node.source} at ${formatPosition(position)} refers to a node that contains it`,
      {
        position,
        path,
      },
    );
  }
  return target;
}

export function unknownTag(
  tag: string,
  node: ValueNode,
  path: PathSegment[],
  state: ComposeState,
  detail = '',
): never {
  const position = tagPosition(node, tag, state);
  const shown = tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag;
  return fail('unknown-tag', `Unknown tag ${shown} at ${formatPosition(position)}${detail}`, {
    position,
    path,
  });
}

export function invalidTag(
  message: string,
  tag: string,
  node: ValueNode,
  path: PathSegment[],
  state: ComposeState,
): never {
  const position = tagPosition(node, tag, state);
  return fail('invalid-tag', `${message} (at ${formatPosition(position)})`, { position, path });
}
