import { Lexer, Parser, type CST } from 'yaml';
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

function tooManyNodes(maxNodes: number): never {
  return fail('too-many-nodes', `Blueprint has more than ${maxNodes} YAML nodes`);
}

/**
 * Texts up to this many UTF-16 units (every fixture and typical blueprint) are counted while the
 * parser reads them, in one lexer pass; longer ones are counted by a lexer pass of their own
 * first, which builds nothing. Counting while parsing costs at most the CST of a text this
 * short — what any valid file of that size costs — so both ways fail fast and small.
 */
export const COUNT_WHILE_PARSING_MAX_LENGTH = 64 * 1024;

/**
 * Refuses inputs with more than `maxNodes` YAML nodes before anything builds a tree for them.
 * The `yaml` package spends roughly ten microseconds and a few hundred bytes per node, so a
 * 10 MiB file of `[1,1,1,…]` would otherwise take a minute and exhaust the heap. The lexer is
 * the cheapest stage and yields strings one at a time, so this stops early and holds nothing.
 */
export function checkNodeBudget(text: string, maxNodes: number): void {
  let nodes = 0;
  for (const token of new Lexer().lex(text)) {
    if (startsNode(token) && ++nodes > maxNodes) tooManyNodes(maxNodes);
  }
}

/**
 * The concrete syntax tree of `text`, with the node budget checked on the way: short texts are
 * lexed once, the lexer's tokens counted as they go to the parser (the `yaml` package's
 * documented "parser with a user-provided lexer" form of `Parser#parse`); long ones get the
 * separate counting pass of `checkNodeBudget` before the parser sees them.
 */
export function parseCst(
  text: string,
  maxNodes: number,
  onNewLine: (offset: number) => void,
): CST.Token[] {
  if (text.length > COUNT_WHILE_PARSING_MAX_LENGTH) {
    checkNodeBudget(text, maxNodes);
    return Array.from(new Parser(onNewLine).parse(text));
  }
  const parser = new Parser(onNewLine);
  const tokens: CST.Token[] = [];
  let nodes = 0;
  // As Parser#parse does at the start of input.
  onNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    if (startsNode(lexeme) && ++nodes > maxNodes) tooManyNodes(maxNodes);
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}
