import { describe, expect, it } from 'vitest';
import { RESOLVE_ERROR_CODES, ResolveError } from '../../../../src/main/blueprint/resolve';
import { fakeScope, mapping, resolve, resolveError, scalar, seq } from './helpers';

const flows = {
  'authentik_flows.flow': [
    {
      pk: 'flow-1',
      slug: 'default-authentication-flow',
      name: 'Welcome',
      designation: 'authentication',
    },
    { pk: 'flow-2', slug: 'default-enrollment', name: 'Enroll', designation: 'enrollment' },
  ],
  'authentik_core.user': [{ pk: 7, username: 'akadmin' }],
};

describe('walking plain data', () => {
  it('copies mappings and sequences, keeping key order', () => {
    const value = mapping([
      ['z', 1],
      ['a', [true, null, 'x', 2.5]],
      ['m', mapping([['k', 'v']])],
    ]);
    const resolved = resolve(value);
    expect(resolved).toEqual({ z: 1, a: [true, null, 'x', 2.5], m: { k: 'v' } });
    expect(Object.keys(resolved as object)).toEqual(['z', 'a', 'm']);
    expect(resolved).not.toBe(value);
  });

  it('resolves tags at any depth and leaves the input untouched', () => {
    const value = mapping([['attrs', mapping([['list', [scalar('KeyOf', 'f')]]])]]);
    const before = JSON.stringify(value);
    expect(resolve(value, fakeScope({ keys: { f: 'pk-f' } }))).toEqual({
      attrs: { list: ['pk-f'] },
    });
    expect(JSON.stringify(value)).toBe(before);
  });

  it('builds null-prototype mappings, so __proto__ stays data', () => {
    const value = mapping([
      ['__proto__', mapping([['polluted', true]])],
      ['constructor', 'c'],
    ]);
    const resolved = resolve(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(resolved)).toBeNull();
    expect(Object.keys(resolved)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(resolved, '__proto__')?.value).toEqual({
      polluted: true,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('!KeyOf', () => {
  it('gives the pk of the entry with that id', () => {
    const scope = fakeScope({ keys: { flow: 'uuid-1', user: 42 } });
    expect(resolve(scalar('KeyOf', 'flow'), scope)).toBe('uuid-1');
    expect(resolve(scalar('KeyOf', 'user'), scope)).toBe(42);
    expect(scope.calls).toEqual(['keyOf flow', 'keyOf user']);
  });

  it('fails with authentik’s message and the path of the tag', () => {
    const error = resolveError(
      mapping([['configure_flow', scalar('KeyOf', 'missing')]]),
      'KEYOF_NOT_FOUND',
      fakeScope(),
      ['attrs'],
    );
    expect(error.message).toContain(
      'KeyOf: failed to find entry with `id` of `missing` and a model instance',
    );
    expect(error.path).toEqual(['attrs', 'configure_flow']);
    expect(error).toBeInstanceOf(ResolveError);
  });
});

describe('!Find and !FindObject', () => {
  const scope = () => fakeScope({ rows: flows, context: { slug: 'default-enrollment' } });

  it('returns the pk of the first match, or null', () => {
    expect(
      resolve(
        seq('Find', 'authentik_flows.flow', ['slug', 'default-authentication-flow']),
        scope(),
      ),
    ).toBe('flow-1');
    expect(resolve(seq('Find', 'authentik_flows.flow', ['slug', 'nope']), scope())).toBeNull();
    expect(resolve(seq('Find', 'authentik_core.user', ['username', 'akadmin']), scope())).toBe(7);
  });

  it('ANDs several queries', () => {
    const s = scope();
    expect(
      resolve(
        seq('Find', 'authentik_flows.flow', ['designation', 'enrollment'], ['name', 'Enroll']),
        s,
      ),
    ).toBe('flow-2');
    expect(
      resolve(
        seq('Find', 'authentik_flows.flow', ['designation', 'enrollment'], ['name', 'Welcome']),
        s,
      ),
    ).toBeNull();
    expect(s.calls[0]).toBe(
      'find authentik_flows.flow [["designation","enrollment"],["name","Enroll"]]',
    );
  });

  it('resolves tags in the model, fields and values first', () => {
    const s = scope();
    const tag = seq('Find', seq('Format', 'authentik_%s.%s', 'flows', 'flow'), [
      seq('Format', '%s', 'slug'),
      scalar('Context', 'slug'),
    ]);
    expect(resolve(tag, s)).toBe('flow-2');
    expect(s.calls).toEqual(['find authentik_flows.flow [["slug","default-enrollment"]]']);
  });

  it('ignores query items past [field, value]', () => {
    expect(
      resolve(
        seq('Find', 'authentik_flows.flow', [
          'slug',
          'default-enrollment',
          scalar('KeyOf', 'never'),
        ]),
        scope(),
      ),
    ).toBe('flow-2');
  });

  it('FindObject returns the object data as a null-prototype mapping, or null', () => {
    const found = resolve(seq('FindObject', 'authentik_core.user', ['pk', 7]), scope());
    expect(found).toEqual({ pk: 7, username: 'akadmin' });
    expect(Object.getPrototypeOf(found)).toBeNull();
    expect(resolve(seq('FindObject', 'authentik_core.user', ['pk', 8]), scope())).toBeNull();
  });

  it('passes the scope’s own errors through, with the tag path added', () => {
    const error = resolveError(
      mapping([['x', seq('Find', 'nope.model', ['a', 1])]]),
      'FIND_UNKNOWN_MODEL',
      scope(),
    );
    expect(error.path).toEqual(['x']);
  });

  it.each([
    ['no arguments', seq('Find'), [] as (string | number)[]],
    ['a model that is not text', seq('Find', 1, ['slug', 'x']), [0]],
    ['a query that is not a list', seq('Find', 'authentik_flows.flow', 'slug'), [1]],
    ['a query with one item', seq('FindObject', 'authentik_flows.flow', ['slug']), [1]],
    ['a field that is not text', seq('Find', 'authentik_flows.flow', [3, 'x']), [1]],
  ])('refuses %s (FIND_BAD_ARGS)', (_name, tag, path) => {
    expect(resolveError(tag, 'FIND_BAD_ARGS', scope()).path).toEqual(path);
  });
});

describe('!Context', () => {
  const context = mapping([
    ['name', 'from-context'],
    ['nothing', null],
    ['nested', mapping([['a', [1, 2]]])],
    ['tagged', scalar('KeyOf', 'flow')],
    ['chain', scalar('Context', 'name')],
    ['goauthentik.io/enterprise/licensed', false],
  ]);
  const scope = () => fakeScope({ context, keys: { flow: 'flow-pk' } });

  it('reads a key (scalar form)', () => {
    expect(resolve(scalar('Context', 'name'), scope())).toBe('from-context');
    expect(resolve(scalar('Context', 'goauthentik.io/enterprise/licensed'), scope())).toBe(false);
    expect(resolve(scalar('Context', 'nested'), scope())).toEqual({ a: [1, 2] });
  });

  it('gives null for a missing key without default', () => {
    expect(resolve(scalar('Context', 'missing'), scope())).toBeNull();
  });

  it('uses the default only when the key is missing (a stored null wins)', () => {
    expect(resolve(seq('Context', 'missing', 'fallback'), scope())).toBe('fallback');
    expect(resolve(seq('Context', 'name', 'fallback'), scope())).toBe('from-context');
    expect(resolve(seq('Context', 'nothing', 'fallback'), scope())).toBeNull();
  });

  it('resolves a stored tag again, and a tag default', () => {
    expect(resolve(scalar('Context', 'tagged'), scope())).toBe('flow-pk');
    expect(resolve(scalar('Context', 'chain'), scope())).toBe('from-context');
    expect(resolve(seq('Context', 'missing', scalar('KeyOf', 'flow')), scope())).toBe('flow-pk');
    expect(resolve(seq('Context', 'missing', [scalar('KeyOf', 'flow')]), scope())).toEqual([
      'flow-pk',
    ]);
  });

  it('does not resolve a tag used as the key (authentik looks it up as written)', () => {
    expect(resolve(seq('Context', scalar('Context', 'name'), 'default'), scope())).toBe('default');
    expect(resolve(seq('Context', 1, 'default'), scope())).toBe('default');
  });

  it('uses own keys only', () => {
    expect(resolve(scalar('Context', 'toString'), scope())).toBeNull();
    expect(resolve(scalar('Context', '__proto__'), scope())).toBeNull();
  });

  it('refuses an unhashable key and a short sequence form (CONTEXT_BAD_ARGS)', () => {
    resolveError(seq('Context', ['a'], 'x'), 'CONTEXT_BAD_ARGS', scope());
    resolveError(seq('Context', 'a'), 'CONTEXT_BAD_ARGS', scope());
  });

  it('points errors inside a stored value at the !Context tag', () => {
    const s = fakeScope({
      context: mapping([['bad', mapping([['deep', [scalar('KeyOf', 'nope')]]])]]),
    });
    const error = resolveError(
      mapping([['field', scalar('Context', 'bad')]]),
      'KEYOF_NOT_FOUND',
      s,
      ['attrs'],
    );
    expect(error.path).toEqual(['attrs', 'field']);
  });

  it('stops a context value that refers to itself with RESOLVE_TOO_DEEP', () => {
    const s = fakeScope({
      context: mapping([
        ['a', scalar('Context', 'b')],
        ['b', seq('Format', '%s!', scalar('Context', 'a'))],
      ]),
    });
    const error = resolveError(mapping([['x', scalar('Context', 'a')]]), 'RESOLVE_TOO_DEEP', s);
    expect(error.message).toContain('!Context a → b → a');
    expect(error.path).toEqual(['x']);
  });
});

describe('!Format', () => {
  it('formats with positional arguments', () => {
    expect(resolve(seq('Format', 'my-policy-%s', 'inst'))).toBe('my-policy-inst');
    expect(resolve(seq('Format', '%5.1f|%-4d|%x', 3.14159, 7, 255))).toBe('  3.1|7   |ff');
    expect(resolve(seq('Format', 'no placeholders'))).toBe('no placeholders');
  });

  it('shows Python’s str() of None, bools, lists and mappings', () => {
    expect(resolve(seq('Format', '%s %s %s', null, true, false))).toBe('None True False');
    expect(resolve(seq('Format', '%s', ['a', 1, null]))).toBe("['a', 1, None]");
    expect(resolve(seq('Format', '%s', mapping([['k', 'v']])))).toBe("{'k': 'v'}");
    expect(resolve(seq('Format', '%r', 'a'))).toBe("'a'");
  });

  it('resolves tag arguments first, nested several levels', () => {
    const scope = fakeScope({ keys: { f: 'pk' }, context: { n: 3 } });
    const tag = seq(
      'Format',
      '%s/%03d/%s',
      scalar('KeyOf', 'f'),
      scalar('Context', 'n'),
      seq('If', [true], 'yes', 'no'),
    );
    expect(resolve(tag, scope)).toBe('pk/003/yes');
  });

  it.each([
    ['%s %s', ['a'], 'not enough arguments for format string'],
    ['%s', ['a', 'b'], 'not all arguments converted during string formatting'],
    ['%d', ['a'], '%d format: a real number is required, not str'],
    ['%y', [1], "unsupported format character 'y' (0x79) at index 1"],
    ['%(name)s', [1], 'format requires a mapping'],
  ])('fails like Python: %s', (fmt, args, message) => {
    const error = resolveError(seq('Format', fmt, ...args), 'FORMAT_ERROR');
    expect(error.message).toContain(message);
  });

  it('does not resolve a tag used as the format string', () => {
    const error = resolveError(
      seq('Format', scalar('Context', 'x'), 1),
      'FORMAT_ERROR',
      fakeScope({ context: { x: '%s' } }),
    );
    expect(error.message).toContain("unsupported operand type(s) for %: 'Context' and 'tuple'");
    expect(error.path).toEqual([0]);
    resolveError(seq('Format'), 'FORMAT_ERROR');
  });
});

describe('!Env and !File', () => {
  it('use only explicitly supplied values', () => {
    const scope = fakeScope({ env: { NAME: 'value' }, files: { '/run/secret': '  s3cret\n' } });
    expect(resolve(scalar('Env', 'NAME'), scope)).toBe('value');
    expect(resolve(seq('Env', 'NAME', 'default'), scope)).toBe('value');
    expect(resolve(scalar('File', '/run/secret'), scope)).toBe('s3cret');
    expect(resolve(seq('File', '/run/secret', 'default'), scope)).toBe('s3cret');
  });

  it('never read the process environment', () => {
    const name = 'FLOWBENCH_RESOLVE_TEST_VARIABLE';
    process.env[name] = 'from-process';
    try {
      resolveError(scalar('Env', name), 'ENV_NEEDS_VALUE');
      resolveError(scalar('Env', 'PATH'), 'ENV_NEEDS_VALUE');
    } finally {
      delete process.env[name];
    }
  });

  it('ask for a value, naming the option and the default', () => {
    const env = resolveError(
      mapping([['default', seq('Env', 'AUTHENTIK_DEFAULT_BRAND_ENABLED', true)]]),
      'ENV_NEEDS_VALUE',
      fakeScope(),
      ['identifiers'],
    );
    expect(env.message).toContain('--context env:AUTHENTIK_DEFAULT_BRAND_ENABLED=value');
    expect(env.message).toContain('import dialog');
    expect(env.message).toContain('default True');
    expect(env.path).toEqual(['identifiers', 'default']);
    const file = resolveError(
      seq('File', '/etc/key.pem', scalar('Context', 'k')),
      'FILE_NEEDS_VALUE',
    );
    expect(file.message).toContain('--context file:/etc/key.pem=value');
    expect(file.message).toContain('default !Context k');
    expect(resolveError(scalar('File', '/x'), 'FILE_NEEDS_VALUE').message).not.toContain('default');
  });

  it('treat an empty variable as unset, like getenv(name) or default', () => {
    const scope = fakeScope({ env: { EMPTY: '' }, files: { '/empty': ' \n' } });
    expect(resolve(seq('Env', 'EMPTY', 'fallback'), scope)).toBe('fallback');
    expect(resolve(scalar('Env', 'EMPTY'), scope)).toBeNull();
    expect(resolve(seq('File', '/empty', 'fallback'), scope)).toBe('');
  });

  it('strip file contents as Python does (keeps U+FEFF, strips U+001F)', () => {
    const scope = fakeScope({ files: { f: '\u001f\ufeffx\u0085 ' } });
    expect(resolve(scalar('File', 'f'), scope)).toBe('\ufeffx');
  });

  it('use own properties of the explicit values only', () => {
    resolveError(scalar('Env', 'constructor'), 'ENV_NEEDS_VALUE');
    resolveError(scalar('File', '__proto__'), 'FILE_NEEDS_VALUE');
  });

  it('refuse a name that is not text (TAG_BAD_ARGS)', () => {
    resolveError(seq('Env', scalar('Context', 'x'), 'd'), 'TAG_BAD_ARGS');
    resolveError(seq('File', 3, 'd'), 'TAG_BAD_ARGS');
    resolveError(seq('Env', 'ONLY'), 'TAG_BAD_ARGS');
  });
});

describe('!If', () => {
  it('short form gives a bool with Python truthiness', () => {
    for (const falsy of [0, 0.0, '', [], mapping([]), null, false]) {
      expect(resolve(seq('If', falsy))).toBe(false);
    }
    for (const truthy of [1, -0.5, 'x', [0], mapping([['a', null]]), true, Number.NaN]) {
      expect(resolve(seq('If', truthy))).toBe(true);
    }
  });

  it('long form gives the chosen branch, fully resolved', () => {
    const scope = fakeScope({ keys: { a: 'A' }, context: { on: true, off: 0 } });
    expect(
      resolve(
        seq('If', scalar('Context', 'on'), mapping([['x', [scalar('KeyOf', 'a')]]]), 'no'),
        scope,
      ),
    ).toEqual({ x: ['A'] });
    expect(
      resolve(seq('If', scalar('Context', 'off'), 'yes', seq('Format', '%s-%s', 1, 2)), scope),
    ).toBe('1-2');
  });

  it('never resolves the branch not taken', () => {
    expect(resolve(seq('If', true, 'ok', scalar('KeyOf', 'missing')))).toBe('ok');
  });

  it('counts a plain list condition without resolving what is inside', () => {
    expect(resolve(seq('If', [scalar('KeyOf', 'missing')], 'non-empty', 'empty'))).toBe(
      'non-empty',
    );
  });

  it('reports errors inside a branch with the branch index in the path', () => {
    const error = resolveError(
      mapping([['v', seq('If', false, 'a', [scalar('KeyOf', 'x')])]]),
      'KEYOF_NOT_FOUND',
    );
    expect(error.path).toEqual(['v', 2, 0]);
  });

  it('refuses two or no arguments (IF_BAD_ARGS)', () => {
    resolveError(seq('If', true, 'a'), 'IF_BAD_ARGS');
    resolveError(seq('If'), 'IF_BAD_ARGS');
  });
});

describe('!Condition', () => {
  const truthTable: [string, boolean[], boolean][] = [
    ['AND', [true, true], true],
    ['AND', [true, false], false],
    ['NAND', [true, true], false],
    ['NAND', [true, false], true],
    ['OR', [false, false], false],
    ['OR', [false, true], true],
    ['NOR', [false, false], true],
    ['NOR', [true, false], false],
    ['XOR', [true], true],
    ['XOR', [false], false],
    ['XOR', [true, true], false],
    ['XOR', [true, false], true],
    ['XOR', [true, true, true], true],
    ['XOR', [true, true, true, true], false],
    ['XNOR', [true], false],
    ['XNOR', [false], true],
    ['XNOR', [true, true], true],
    ['XNOR', [true, true, true], false],
  ];
  it.each(truthTable)('%s %j → %s', (mode, args, expected) => {
    expect(resolve(seq('Condition', mode, ...args))).toBe(expected);
  });

  it('takes the mode in any case and converts values with Python truthiness', () => {
    expect(resolve(seq('Condition', 'and', 'text', 2, [0], mapping([['k', 1]])))).toBe(true);
    expect(resolve(seq('Condition', 'Or', '', 0, [], mapping([]), null))).toBe(false);
  });

  it('resolves tag arguments', () => {
    const scope = fakeScope({ rows: flows, context: { yes: 'y' } });
    // The default brand blueprint: create only when no other default brand exists.
    expect(
      resolve(seq('Condition', 'NOR', seq('Find', 'authentik_flows.flow', ['slug', 'x'])), scope),
    ).toBe(true);
    expect(resolve(seq('Condition', 'AND', scalar('Context', 'yes'), seq('If', [1])), scope)).toBe(
      true,
    );
  });

  it.each([
    ['no arguments', seq('Condition')],
    ['a mode only', seq('Condition', 'AND')],
    ['an unknown mode', seq('Condition', 'MAYBE', true)],
    ['a mode that is not text', seq('Condition', 1, true)],
  ])('refuses %s (CONDITION_BAD_ARGS)', (_name, tag) => {
    resolveError(tag, 'CONDITION_BAD_ARGS');
  });

  it('says "At least one value is required" as authentik does', () => {
    expect(resolveError(seq('Condition', 'OR'), 'CONDITION_BAD_ARGS').message).toBe(
      'At least one value is required after mode selection.',
    );
  });

  it('resolves the values before checking the mode, as authentik does', () => {
    resolveError(seq('Condition', 'MAYBE', scalar('KeyOf', 'missing')), 'KEYOF_NOT_FOUND');
  });
});

describe('!AtIndex', () => {
  it('indexes lists with ints, negative ones from the end', () => {
    expect(resolve(seq('AtIndex', ['first', 'second'], 0))).toBe('first');
    expect(resolve(seq('AtIndex', ['first', 'second'], -1))).toBe('second');
    expect(resolve(seq('AtIndex', ['first', 'second'], true))).toBe('second');
  });

  it('looks up mapping keys', () => {
    expect(resolve(seq('AtIndex', mapping([['foo', 'bar']]), 'foo'))).toBe('bar');
  });

  it('uses the default when missing', () => {
    expect(resolve(seq('AtIndex', ['a'], 5, 'default'))).toBe('default');
    expect(resolve(seq('AtIndex', ['a'], -2, null))).toBeNull();
    expect(
      resolve(seq('AtIndex', mapping([['foo', 'bar']]), 'baz', seq('Format', '%s', 'd'))),
    ).toBe('d');
    expect(resolve(seq('AtIndex', 'hello', 'xyz', 'absent'))).toBe('absent');
  });

  it('fails when missing without default (ATINDEX_MISSING)', () => {
    expect(resolveError(seq('AtIndex', ['a'], 1), 'ATINDEX_MISSING').message).toBe(
      'Index out of range: 1',
    );
    expect(resolveError(seq('AtIndex', mapping([]), 'k'), 'ATINDEX_MISSING').message).toBe(
      'Key does not exist: k',
    );
    expect(resolveError(seq('AtIndex', mapping([['0', 'x']]), 0), 'ATINDEX_MISSING').message).toBe(
      'Key does not exist: 0',
    );
  });

  it('resolves tags in the object and the key, and in the chosen element only', () => {
    const scope = fakeScope({ context: { list: ['x', 'y', 'z'], i: 2 }, keys: { a: 'A' } });
    expect(resolve(seq('AtIndex', scalar('Context', 'list'), scalar('Context', 'i')), scope)).toBe(
      'z',
    );
    expect(
      resolve(seq('AtIndex', [scalar('KeyOf', 'a'), scalar('KeyOf', 'missing')], 0), scope),
    ).toBe('A');
  });

  it.each([
    ['a text index into a list', seq('AtIndex', ['a'], 'x'), 'Invalid index for list: x'],
    ['a float index into a list', seq('AtIndex', ['a'], 0.5), 'Invalid index for list: 0.5'],
    [
      'a substring key into text',
      seq('AtIndex', 'hello', 'ell', 'd'),
      'string indices must be integers',
    ],
    [
      'an int key into text',
      seq('AtIndex', 'hello', 1),
      "'in <string>' requires string as left operand, not int",
    ],
    [
      'an object that is not a collection',
      seq('AtIndex', 5, 0),
      "argument of type 'int' is not iterable",
    ],
    ['a list key into a mapping', seq('AtIndex', mapping([]), ['k']), 'unhashable'],
    ['one argument', seq('AtIndex', ['a']), 'takes'],
  ])('refuses %s (ATINDEX_BAD_ARGS)', (_name, tag, message) => {
    expect(resolveError(tag, 'ATINDEX_BAD_ARGS').message).toContain(message);
  });
});

describe('!ParseJSON', () => {
  it('parses JSON text into null-prototype data', () => {
    const value = resolve(
      scalar('ParseJSON', '{"a": [1, 2.5, "x", null, true], "__proto__": {"p": 1}}'),
    ) as Record<string, unknown>;
    expect(value).toEqual({ a: [1, 2.5, 'x', null, true], ['__proto__']: { p: 1 } });
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(['a', '__proto__']);
  });

  it('accepts what Python accepts (NaN, Infinity)', () => {
    expect(resolve(scalar('ParseJSON', '[NaN, -Infinity]'))).toEqual([
      Number.NaN,
      Number.NEGATIVE_INFINITY,
    ]);
  });

  it('fails with Python’s message (PARSEJSON_INVALID)', () => {
    const error = resolveError(
      mapping([['x', scalar('ParseJSON', '{"a": 1,}')]]),
      'PARSEJSON_INVALID',
    );
    expect(error.message).toContain(
      'Expecting property name enclosed in double quotes: line 1 column 9 (char 8)',
    );
    expect(error.path).toEqual(['x']);
  });
});

describe('errors', () => {
  it('every error code is reachable through resolveValue', () => {
    const seen = new Set<string>();
    const attempts = [
      scalar('KeyOf', 'x'),
      seq('Find', 'unknown.model', ['a', 1]),
      seq('Find', 1),
      seq('Context', ['k'], 1),
      seq('Format', '%d', 'x'),
      scalar('Env', 'X'),
      scalar('File', 'x'),
      seq('If', 1, 2),
      seq('Condition', 'AND'),
      seq('Enumerate', 1, 'SEQ', 'x'),
      scalar('Index', '0'),
      seq('AtIndex', [], 0),
      seq('AtIndex', 1, 0),
      scalar('ParseJSON', '{'),
      seq('Env', 1, 2),
      scalar('ParseJSON', '['.repeat(2000)),
    ];
    for (const attempt of attempts) {
      try {
        resolve(attempt, fakeScope({ rows: {} }));
      } catch (error) {
        if (error instanceof ResolveError) seen.add(error.code);
      }
    }
    expect([...seen].sort()).toEqual([...RESOLVE_ERROR_CODES].sort());
  });

  it('prefixes the given path', () => {
    const error = resolveError(
      [mapping([['k', scalar('KeyOf', 'x')]])],
      'KEYOF_NOT_FOUND',
      fakeScope(),
      ['entries', 3, 'attrs'],
    );
    expect(error.path).toEqual(['entries', 3, 'attrs', 0, 'k']);
  });
});
