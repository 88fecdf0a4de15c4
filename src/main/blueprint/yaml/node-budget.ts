import { Lexer } from 'yaml';
import { fail } from './errors';

/** Lexer tokens that start a node: the scalar marker, quoted scalars, aliases, flow collections. */
function startsNode(token: string): boolean {
  const first = token.charCodeAt(0);
  // \x1f precedes every plain and block scalar; " ' * [ { start the other nodes.
  return (
    first === 0x1f ||
    first === 0x22 ||
    first === 0x27 ||
    first === 0x2a ||
    first === 0x5b ||
    first === 0x7b
  );
}

/**
 * Refuses inputs with more than `maxNodes` YAML nodes before anything builds a tree for them.
 * The `yaml` package spends roughly ten microseconds and a few hundred bytes per node, so a
 * 10 MiB file of `[1,1,1,…]` would otherwise take a minute and exhaust the heap. The lexer is
 * the cheapest stage and yields strings one at a time, so this stops early and holds nothing.
 */
export function checkNodeBudget(text: string, maxNodes: number): void {
  let nodes = 0;
  for (const token of new Lexer().lex(text)) {
    if (startsNode(token) && ++nodes > maxNodes) {
      fail('too-many-nodes', `Blueprint has more than ${maxNodes} YAML nodes`);
    }
  }
}
