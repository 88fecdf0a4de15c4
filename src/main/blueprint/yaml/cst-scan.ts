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
): CstScanResult {
  const result: CstScanResult = {};
  const noteTabs = (sourceTokens: readonly CST.SourceToken[] | undefined): void => {
    if (result.firstTabOffset !== undefined || !sourceTokens) return;
    for (const token of sourceTokens) {
      // PyYAML only skips spaces between tokens; a tab there "cannot start any token".
      if (token.type === 'space' && token.source.includes('\t')) {
        result.firstTabOffset = token.offset + token.source.indexOf('\t');
        return;
      }
    }
  };
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop() as { token: CST.Token; depth: number };
    switch (token.type) {
      case 'document':
        noteTabs(token.start);
        noteTabs(token.end);
        if (token.value) stack.push({ token: token.value, depth });
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
          if (item.key) stack.push({ token: item.key, depth: inner });
          if (item.value) stack.push({ token: item.value, depth: inner });
        }
        break;
      }
      case 'scalar':
        // A plain scalar may not contain a tab for PyYAML either (`a: b\tc` fails to load).
        if (result.firstTabOffset === undefined && token.source.includes('\t')) {
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
