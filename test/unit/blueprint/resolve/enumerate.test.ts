import { describe, expect, it } from 'vitest';
import { fakeScope, mapping, resolve, resolveError, scalar, seq } from './helpers';

const index = (depth = 0) => scalar('Index', String(depth));
const value = (depth = 0) => scalar('Value', String(depth));

describe('!Enumerate SEQ', () => {
  it('iterates a list as (index, value)', () => {
    expect(resolve(seq('Enumerate', ['a', 'b'], 'SEQ', [index(), value()]))).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
  });

  it('iterates a mapping as (key, value), in key order', () => {
    const iterable = mapping([
      ['z', 1],
      ['a', 2],
    ]);
    expect(
      resolve(seq('Enumerate', iterable, 'SEQ', seq('Format', '%s=%s', index(), value()))),
    ).toEqual(['z=1', 'a=2']);
  });

  it('iterates text by characters (code points)', () => {
    expect(resolve(seq('Enumerate', 'a😀c', 'SEQ', value()))).toEqual(['a', '😀', 'c']);
  });

  it('resolves a tag iterable and tags in the body for every item', () => {
    const scope = fakeScope({
      context: { stages: ['password', 'identification'] },
      rows: {
        'authentik_stages_password.passwordstage': [{ pk: 'p1', name: 'password' }],
        'authentik_stages_identification.identificationstage': [
          { pk: 'i1', name: 'identification' },
        ],
      },
    });
    const body = seq('Find', seq('Format', 'authentik_stages_%s.%sstage', value(), value()), [
      'name',
      value(),
    ]);
    expect(resolve(seq('Enumerate', scalar('Context', 'stages'), 'SEQ', body), scope)).toEqual([
      'p1',
      'i1',
    ]);
  });

  it('gives an empty list for an empty iterable and accepts the output word in any case', () => {
    expect(resolve(seq('Enumerate', [], 'seq', 'x'))).toEqual([]);
    expect(resolve(seq('Enumerate', mapping([]), 'Map', 'x'))).toEqual({});
  });

  it('returns copies: items are never shared between results', () => {
    const result = resolve(
      seq('Enumerate', [mapping([['k', [1]]])], 'SEQ', [value(), value()]),
    ) as unknown[][];
    expect(result[0]?.[0]).toEqual(result[0]?.[1]);
    expect(result[0]?.[0]).not.toBe(result[0]?.[1]);
  });
});

describe('!Enumerate MAP', () => {
  it('turns a [key, value] body into {key: value}', () => {
    expect(resolve(seq('Enumerate', ['a', 'b'], 'MAP', [value(), index()]))).toEqual({
      a: 0,
      b: 1,
    });
  });

  it('deep-merges mapping bodies; later values win, lists are appended', () => {
    const iterable = ['x', 'y'];
    const body = mapping([
      ['common', mapping([['last', value()]])],
      ['all', [value()]],
      ['per', mapping([['k', value()]])],
    ]);
    const merged = resolve(seq('Enumerate', iterable, 'MAP', body));
    expect(merged).toEqual({ common: { last: 'y' }, all: ['x', 'y'], per: { k: 'y' } });
  });

  it('uses the first two items of a longer list body', () => {
    expect(resolve(seq('Enumerate', ['a'], 'MAP', [value(), 1, 2]))).toEqual({ a: 1 });
  });

  it('writes non-text keys as JSON text (0, true, null)', () => {
    expect(
      Object.keys(resolve(seq('Enumerate', ['a', 'b'], 'MAP', [index(), value()])) as object),
    ).toEqual(['0', '1']);
    expect(resolve(seq('Enumerate', [true, null], 'MAP', [value(), 1]))).toEqual({
      true: 1,
      null: 1,
    });
  });

  it('keeps a __proto__ key as data', () => {
    const result = resolve(
      seq('Enumerate', ['__proto__'], 'MAP', [value(), mapping([['polluted', true]])]),
    ) as object;
    expect(Object.getPrototypeOf(result)).toBeNull();
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a text body', 'text', 'Invalid Enumerate item found: text'],
    ['a null body', null, 'Invalid Enumerate item found: None'],
    ['a one-item list body', [1], 'needs [key, value]'],
    ['an unhashable key', [[1], 2], 'unhashable'],
  ])('refuses %s (ENUMERATE_BAD_ARGS)', (_name, body, message) => {
    expect(
      resolveError(seq('Enumerate', ['a'], 'MAP', body), 'ENUMERATE_BAD_ARGS').message,
    ).toContain(message);
  });
});

describe('nested !Enumerate and depth', () => {
  it('depth 0 is the innermost enumerate, 1 the one around it', () => {
    const inner = seq(
      'Enumerate',
      ['a', 'b'],
      'SEQ',
      seq('Format', '%s%s/%s%s', index(1), value(1), index(0), value(0)),
    );
    expect(resolve(seq('Enumerate', ['x', 'y'], 'SEQ', inner))).toEqual([
      ['0x/0a', '0x/1b'],
      ['1y/0a', '1y/1b'],
    ]);
  });

  it('an inner iterable may come from the outer value', () => {
    const outer = mapping([
      ['g1', ['u1', 'u2']],
      ['g2', ['u3']],
    ]);
    const inner = seq('Enumerate', value(1), 'SEQ', seq('Format', '%s:%s', index(1), value(0)));
    expect(resolve(seq('Enumerate', outer, 'SEQ', inner))).toEqual([['g1:u1', 'g1:u2'], ['g2:u3']]);
  });

  it('builds a mapping of lists from nested MAP and SEQ', () => {
    const inner = seq('Enumerate', value(0), 'SEQ', seq('Format', '%s-%s', index(1), value(0)));
    const tag = seq(
      'Enumerate',
      mapping([
        ['a', [1, 2]],
        ['b', []],
      ]),
      'MAP',
      [index(), inner],
    );
    // In the MAP body, the inner enumerate is walked; its iterable `!Value 0` would be itself,
    // which authentik refuses, so the outer value is reached with depth 1 instead.
    expect(() => resolve(tag)).toThrow(/iterable references this tag's context/);
    const fixed = seq(
      'Enumerate',
      mapping([
        ['a', [1, 2]],
        ['b', []],
      ]),
      'MAP',
      [index(), seq('Enumerate', value(1), 'SEQ', seq('Format', '%s-%s', index(1), value(0)))],
    );
    expect(resolve(fixed)).toEqual({ a: ['a-1', 'a-2'], b: [] });
  });

  it('an enumerate inside another tag’s arguments is not a context of its own (as in authentik)', () => {
    // authentik resolves tag arguments directly, so this inner enumerate is never registered:
    // its `!Value 0` is the value of the enclosing enumerate.
    const inner = seq('Enumerate', ['a', 'b'], 'SEQ', value());
    expect(resolve(seq('Enumerate', ['p', 'q'], 'SEQ', seq('Format', '%s', inner)))).toEqual([
      "['p', 'p']",
      "['q', 'q']",
    ]);
    const alone = resolveError(
      mapping([['x', seq('Format', '%s', inner)]]),
      'INDEX_OUTSIDE_ENUMERATE',
    );
    expect(alone.message).toBe('Value tags are only usable inside an Enumerate tag');
    expect(alone.path).toEqual(['x', 1, 2]);
  });

  it('an enumerate in an !If branch is walked, so it is a context', () => {
    const tag = seq('If', true, seq('Enumerate', ['a'], 'SEQ', value()), null);
    expect(resolve(tag)).toEqual(['a']);
  });

  it('is re-entrant: the same tag node can be resolved twice and nested in itself', () => {
    const node = seq('Enumerate', ['a', 'b'], 'SEQ', index());
    const value2 = mapping([
      ['one', node],
      ['two', node],
    ]);
    expect(resolve(value2)).toEqual({ one: [0, 1], two: [0, 1] });
    expect(resolve(seq('Enumerate', [1, 2], 'SEQ', node))).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });
});

describe('!Index and !Value errors', () => {
  it('refuse to be used outside any enumerate (INDEX_OUTSIDE_ENUMERATE)', () => {
    expect(resolveError(mapping([['a', index()]]), 'INDEX_OUTSIDE_ENUMERATE').message).toBe(
      'Index tags are only usable inside an Enumerate tag',
    );
    expect(resolveError(value(), 'INDEX_OUTSIDE_ENUMERATE').path).toEqual([]);
  });

  it('refuse a depth beyond the enumerates around them', () => {
    const error = resolveError(seq('Enumerate', ['a'], 'SEQ', value(1)), 'INDEX_OUTSIDE_ENUMERATE');
    expect(error.message).toBe('Value tag: invalid depth: 1. Max depth: 0');
    expect(error.path).toEqual([2]);
  });

  it('read the depth as Python int() does', () => {
    expect(resolve(seq('Enumerate', ['a'], 'SEQ', scalar('Index', ' +0 ')))).toEqual([0]);
    expect(resolve(seq('Enumerate', ['a'], 'SEQ', scalar('Value', '٠')))).toEqual(['a']);
    resolveError(seq('Enumerate', ['a'], 'SEQ', scalar('Value', 'one')), 'TAG_BAD_ARGS');
    expect(
      resolveError(seq('Enumerate', ['a'], 'SEQ', scalar('Value', '-1')), 'TAG_BAD_ARGS').message,
    ).toBe('Value tag: depth must be a positive number or zero');
  });

  it('an iterable that is !Index 0 / !Value 0 of its own enumerate is refused', () => {
    for (const tag of [index(), value(), scalar('Value', '00')]) {
      const error = resolveError(seq('Enumerate', tag, 'SEQ', 'x'), 'ENUMERATE_BAD_ARGS');
      expect(error.message).toContain("iterable references this tag's context");
      expect(error.path).toEqual([0]);
    }
  });

  it('depth 0 deeper inside the iterable finds the enumerate with no current item', () => {
    const tag = seq('Enumerate', seq('AtIndex', [value()], 0), 'SEQ', 'x');
    expect(resolveError(tag, 'INDEX_OUTSIDE_ENUMERATE').message).toContain('no current item');
  });
});

describe('!Enumerate argument errors', () => {
  it.each([
    [
      'a number iterable',
      seq('Enumerate', 5, 'SEQ', 'x'),
      "Enumerate's iterable must be an iterable such as a sequence or a mapping",
    ],
    ['a null iterable', seq('Enumerate', null, 'SEQ', 'x'), 'must be an iterable'],
    ['an unknown output', seq('Enumerate', ['a'], 'LIST', 'x'), 'SEQ or MAP'],
    ['an output that is not text', seq('Enumerate', ['a'], 1, 'x'), 'SEQ or MAP'],
    ['two arguments', seq('Enumerate', ['a'], 'SEQ'), 'takes'],
  ])('refuses %s (ENUMERATE_BAD_ARGS)', (_name, tag, message) => {
    expect(resolveError(tag, 'ENUMERATE_BAD_ARGS').message).toContain(message);
  });
});
