import type { ResolvedValue } from './types';

/**
 * Python's `json.loads(text)` (the C scanner, strict mode), as `!ParseJSON` runs it: the same
 * accepted language (NaN, Infinity and -Infinity included; no leading BOM) and the same
 * messages, e.g. "Expecting ',' delimiter: line 1 column 4 (char 3)", with positions counted
 * in code points as Python counts them. Objects are built on a null prototype, so a
 * `"__proto__"` key is plain data, and nesting deeper than `maxDepth` is refused.
 */

export class PythonJsonError extends Error {
  override name = 'PythonJsonError';
  constructor(
    message: string,
    /** `'depth'` when the only problem is nesting deeper than the limit. */
    readonly kind: 'syntax' | 'depth' = 'syntax',
  ) {
    super(message);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const HEX4 = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Scanner {
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  /** Python's JSONDecodeError message for a UTF-16 offset. */
  fail(message: string, offset: number): never {
    const before = Array.from(this.text.slice(0, offset));
    const char = before.length;
    let line = 1;
    let lastNewline = -1;
    before.forEach((c, index) => {
      if (c === '\n') {
        line++;
        lastNewline = index;
      }
    });
    const column = char - lastNewline;
    throw new PythonJsonError(`${message}: line ${line} column ${column} (char ${char})`);
  }

  skipWhitespace(at: number): number {
    while (at < this.text.length && WHITESPACE.has(this.text.charAt(at))) at++;
    return at;
  }

  /** A value starting exactly at `at`, or undefined where Python raises StopIteration. */
  value(at: number, depth: number): [ResolvedValue, number] | undefined {
    const text = this.text;
    const char = text.charAt(at);
    if (char === '"') return this.string(at);
    if (char === '{') return this.object(at, depth + 1);
    if (char === '[') return this.array(at, depth + 1);
    if (text.startsWith('null', at)) return [null, at + 4];
    if (text.startsWith('true', at)) return [true, at + 4];
    if (text.startsWith('false', at)) return [false, at + 5];
    if (text.startsWith('NaN', at)) return [Number.NaN, at + 3];
    if (text.startsWith('Infinity', at)) return [Number.POSITIVE_INFINITY, at + 8];
    if (text.startsWith('-Infinity', at)) return [Number.NEGATIVE_INFINITY, at + 9];
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return undefined;
    const value = Number(match[0]);
    return [
      Object.is(value, -0) && match[1] === undefined && match[2] === undefined ? 0 : value,
      at + match[0].length,
    ];
  }

  expectValue(at: number, depth: number): [ResolvedValue, number] {
    return this.value(at, depth) ?? this.fail('Expecting value', at);
  }

  checkDepth(depth: number): void {
    if (depth > this.maxDepth) {
      throw new PythonJsonError(`JSON nesting is deeper than ${this.maxDepth} levels`, 'depth');
    }
  }

  string(start: number): [string, number] {
    const text = this.text;
    let at = start + 1;
    let out = '';
    for (;;) {
      if (at >= text.length) this.fail('Unterminated string starting at', start);
      const char = text.charAt(at);
      if (char === '"') return [out, at + 1];
      if (char === '\\') {
        if (at + 1 >= text.length) this.fail('Unterminated string starting at', start);
        const escape = text.charAt(at + 1);
        if (escape === 'u') {
          const digits = text.slice(at + 2, at + 6);
          if (!HEX4.test(digits)) this.fail('Invalid \\uXXXX escape', at + 1);
          out += String.fromCharCode(parseInt(digits, 16));
          at += 6;
          continue;
        }
        const replacement = ESCAPES[escape];
        if (replacement === undefined) this.fail('Invalid \\escape', at);
        out += replacement;
        at += 2;
        continue;
      }
      if (char < ' ') this.fail('Invalid control character at', at);
      out += char;
      at++;
    }
  }

  object(start: number, depth: number): [ResolvedValue, number] {
    this.checkDepth(depth);
    const result = Object.create(null) as Record<string, ResolvedValue>;
    let at = this.skipWhitespace(start + 1);
    if (this.text.charAt(at) === '}') return [result, at + 1];
    for (;;) {
      if (this.text.charAt(at) !== '"')
        this.fail('Expecting property name enclosed in double quotes', at);
      const [key, afterKey] = this.string(at);
      at = this.skipWhitespace(afterKey);
      if (this.text.charAt(at) !== ':') this.fail("Expecting ':' delimiter", at);
      at = this.skipWhitespace(at + 1);
      const [value, afterValue] = this.expectValue(at, depth);
      Object.defineProperty(result, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
      at = this.skipWhitespace(afterValue);
      const next = this.text.charAt(at);
      if (next === '}') return [result, at + 1];
      if (next !== ',') this.fail("Expecting ',' delimiter", at);
      at = this.skipWhitespace(at + 1);
    }
  }

  array(start: number, depth: number): [ResolvedValue, number] {
    this.checkDepth(depth);
    const result: ResolvedValue[] = [];
    let at = this.skipWhitespace(start + 1);
    if (this.text.charAt(at) === ']') return [result, at + 1];
    for (;;) {
      const [value, afterValue] = this.expectValue(at, depth);
      result.push(value);
      at = this.skipWhitespace(afterValue);
      const next = this.text.charAt(at);
      if (next === ']') return [result, at + 1];
      if (next !== ',') this.fail("Expecting ',' delimiter", at);
      at = this.skipWhitespace(at + 1);
    }
  }
}

/** `json.loads(text)`. Throws PythonJsonError with Python's message. */
export function pythonJsonLoads(text: string, maxDepth: number): ResolvedValue {
  const scanner = new Scanner(text, maxDepth);
  if (text.startsWith('\uFEFF')) scanner.fail('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  const [value, end] = scanner.expectValue(scanner.skipWhitespace(0), 0);
  const after = scanner.skipWhitespace(end);
  if (after !== text.length) scanner.fail('Extra data', after);
  return value;
}
