import { describe, expect, it } from 'vitest';
import { PythonJsonError, pythonJsonLoads } from '../../../../src/main/blueprint/resolve';

// Expected results and messages are CPython's json.loads (checked against CPython 3.11).
describe('pythonJsonLoads', () => {
  it.each([
    ['{"a": [1, 2.5, "x", null, true, false]}', { a: [1, 2.5, 'x', null, true, false] }],
    [' \n [1,\n  2] \t', [1, 2]],
    ['"\\ud83d\\ude00 \\u00e9 \\/ \\n"', '😀 é / \n'],
    ['"\u007f"', '\u007f'],
    ['-0', 0],
    ['1E+2', 100],
    ['-1.5e-3', -0.0015],
    ['{"a": 1, "a": 2}', { a: 2 }],
    ['[]', []],
    ['{}', {}],
  ])('%s', (text, expected) => {
    expect(pythonJsonLoads(text, 100)).toEqual(expected);
  });

  it('accepts NaN, Infinity and -Infinity as Python does', () => {
    expect(pythonJsonLoads('[NaN, Infinity, -Infinity]', 10)).toEqual([
      Number.NaN,
      Infinity,
      -Infinity,
    ]);
  });

  it('keeps -0.0 a negative zero but -0 an integer zero', () => {
    expect(Object.is(pythonJsonLoads('-0.0', 10), -0)).toBe(true);
    expect(Object.is(pythonJsonLoads('-0', 10), 0)).toBe(true);
  });

  it.each([
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    [' ', 'Expecting value: line 1 column 2 (char 1)'],
    ['{', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['{a:1}', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['{"a":1 "b":2}', "Expecting ',' delimiter: line 1 column 8 (char 7)"],
    ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
    ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ['[1', "Expecting ',' delimiter: line 1 column 3 (char 2)"],
    ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
    ['"a\tb"', 'Invalid control character at: line 1 column 3 (char 2)'],
    ['"\\x"', 'Invalid \\escape: line 1 column 2 (char 1)'],
    ['"\\u12"', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
    ['01', 'Extra data: line 1 column 2 (char 1)'],
    ['1.', 'Extra data: line 1 column 2 (char 1)'],
    ['true false', 'Extra data: line 1 column 6 (char 5)'],
    ['tru', 'Expecting value: line 1 column 1 (char 0)'],
    ['.5', 'Expecting value: line 1 column 1 (char 0)'],
    ['+1', 'Expecting value: line 1 column 1 (char 0)'],
    ['\ufeff1', 'Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)'],
    [' \n [1,\n  x]', 'Expecting value: line 3 column 3 (char 9)'],
    ['["😀", x]', 'Expecting value: line 1 column 7 (char 6)'],
  ])('%j fails like Python', (text, message) => {
    expect(() => pythonJsonLoads(text, 100)).toThrow(new PythonJsonError(message));
  });

  it('builds objects on a null prototype', () => {
    const value = pythonJsonLoads(
      '{"__proto__": {"polluted": true}, "constructor": 1}',
      10,
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses nesting deeper than the limit, without a stack overflow', () => {
    expect(pythonJsonLoads('[[[1]]]', 3)).toEqual([[[1]]]);
    let caught: unknown;
    try {
      pythonJsonLoads('['.repeat(100_000), 500);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PythonJsonError);
    expect((caught as PythonJsonError).kind).toBe('depth');
  });
});
