import type { CST } from 'yaml';
import { fail, type BlueprintParseWarning } from './errors';
import type { SourcePosition } from './types';

export interface CstScanResult {
  /** Offset of the first tab PyYAML would refuse, if any. */
  firstTabOffset?: number;
}

/**
 * Walks the concrete syntax tree iteratively, before anything recursive touches it, to refuse
 * nesting deeper than `maxDepth` (the `yaml` composer recurses per level and would otherwise
 * overflow the stack on `[[[[…`) and to find tabs that authentik's loader would refuse.
 */
export function scanCst(
  tokens: readonly CST.Token[],
  maxDepth: number,
  positionOf: (offset: number) => SourcePosition,
  text?: string,
): CstScanResult {
  const result: CstScanResult = {};
  // Every token's source is a piece of the text: without a tab in it there is none to find.
  const tabsPossible = text === undefined || text.includes('\t');
  const noteTabs = (sourceTokens: readonly CST.SourceToken[] | undefined): void => {
    if (!tabsPossible || result.firstTabOffset !== undefined || !sourceTokens) return;
    for (const token of sourceTokens) {
      // PyYAML only skips spaces between tokens; a tab there "cannot start any token".
      if (token.type === 'space' && token.source.includes('\t')) {
        result.firstTabOffset = token.offset + token.source.indexOf('\t');
        return;
      }
    }
  };
  // Two parallel stacks (token, depth) rather than an object per node.
  const stack: CST.Token[] = [...tokens];
  const depths: number[] = tokens.map(() => 0);
  while (stack.length > 0) {
    const token = stack.pop() as CST.Token;
    const depth = depths.pop() as number;
    switch (token.type) {
      case 'document':
        noteTabs(token.start);
        noteTabs(token.end);
        if (token.value) {
          stack.push(token.value);
          depths.push(depth);
        }
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const inner = depth + 1;
        if (inner > maxDepth) {
          const position = positionOf(token.offset);
          fail(
            'too-deep',
            `Nesting deeper than ${maxDepth} levels at ${position.line}:${position.column}`,
            { position },
          );
        }
        if (token.type === 'flow-collection') noteTabs(token.end);
        for (const item of token.items) {
          noteTabs(item.start);
          if ('sep' in item) noteTabs(item.sep);
          if (item.key) {
            stack.push(item.key);
            depths.push(inner);
          }
          if (item.value) {
            stack.push(item.value);
            depths.push(inner);
          }
        }
        break;
      }
      case 'scalar':
        // A plain scalar may not contain a tab for PyYAML either (`a: b\tc` fails to load).
        if (tabsPossible && result.firstTabOffset === undefined && token.source.includes('\t')) {
          result.firstTabOffset = token.offset + token.source.indexOf('\t');
        }
        noteTabs(token.end);
        break;
      case 'alias':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        noteTabs(token.end);
        break;
      default:
        break;
    }
  }
  return result;
}

export function tabWarning(position: SourcePosition): BlueprintParseWarning {
  return {
    code: 'pyyaml-incompatible',
    message: `Tab at ${position.line}:${position.column}: authentik's YAML loader refuses tabs outside quoted and block scalars`,
    position,
  };
}
