import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_CONTEXT,
  deepMerge,
  deepMergeResolved,
  mergeContext,
} from '../../../../src/main/blueprint/resolve';
import type { BlueprintValue } from '../../../../src/main/blueprint/yaml';
import { fakeScope, mapping, resolve, scalar } from './helpers';

describe('BUILT_IN_CONTEXT', () => {
  it('holds authentik’s default context keys, for an unlicensed instance', () => {
    expect(BUILT_IN_CONTEXT).toEqual({
      'goauthentik.io/enterprise/licensed': false,
      'goauthentik.io/rbac/models': {},
    });
    expect(Object.isFrozen(BUILT_IN_CONTEXT)).toBe(true);
  });
});

describe('mergeContext', () => {
  it('merges built-ins ← file context ← caller context, later wins', () => {
    const file = mapping([
      ['goauthentik.io/enterprise/licensed', true],
      ['name', 'from-file'],
      ['only-file', 1],
    ]);
    const caller = mapping([
      ['name', 'from-caller'],
      ['only-caller', 2],
    ]);
    const merged = mergeContext(BUILT_IN_CONTEXT, file, caller);
    expect(merged).toEqual({
      'goauthentik.io/enterprise/licensed': true,
      'goauthentik.io/rbac/models': {},
      name: 'from-caller',
      'only-file': 1,
      'only-caller': 2,
    });
    expect(Object.keys(merged)).toEqual([
      'goauthentik.io/enterprise/licensed',
      'goauthentik.io/rbac/models',
      'name',
      'only-file',
      'only-caller',
    ]);
  });

  it('merges nested mappings deeply and appends lists (deepmerge always_merger)', () => {
    const file = mapping([
      [
        'nested',
        mapping([
          ['a', 1],
          ['b', mapping([['x', 1]])],
        ]),
      ],
      ['list', ['file']],
      ['goauthentik.io/rbac/models', mapping([['flow', 'authentik_flows']])],
    ]);
    const caller = mapping([
      [
        'nested',
        mapping([
          ['b', mapping([['y', 2]])],
          ['c', 3],
        ]),
      ],
      ['list', ['caller']],
    ]);
    expect(mergeContext(BUILT_IN_CONTEXT, file, caller)).toEqual({
      'goauthentik.io/enterprise/licensed': false,
      'goauthentik.io/rbac/models': { flow: 'authentik_flows' },
      nested: { a: 1, b: { x: 1, y: 2 }, c: 3 },
      list: ['file', 'caller'],
    });
  });

  it('replaces on a type conflict, null included', () => {
    const merged = mergeContext(
      {},
      mapping([
        ['a', mapping([['x', 1]])],
        ['b', [1]],
        ['c', 'text'],
      ]),
      mapping([
        ['a', null],
        ['b', mapping([['k', 1]])],
        ['c', [1]],
      ]),
    );
    expect(merged).toEqual({ a: null, b: { k: 1 }, c: [1] });
  });

  it('treats tag nodes as values, not mappings', () => {
    const merged = mergeContext(
      {},
      mapping([['t', scalar('KeyOf', 'a')]]),
      mapping([['t', scalar('KeyOf', 'b')]]),
    );
    expect(merged.t).toEqual({ $tag: 'KeyOf', value: 'b' });
  });

  it('skips missing layers and, like authentik, layers that are not mappings', () => {
    expect(mergeContext(BUILT_IN_CONTEXT, null, undefined)).toEqual(BUILT_IN_CONTEXT);
    expect(
      mergeContext({ a: 1 }, ['not', 'a', 'mapping'] as unknown as Record<string, BlueprintValue>, {
        b: 2,
      }),
    ).toEqual({ a: 1, b: 2 });
  });

  it('never touches its inputs and shares nothing with them', () => {
    const file = mapping([['n', mapping([['list', [1]]])]]);
    const caller = mapping([['n', mapping([['list', [2]]])]]);
    const before = JSON.stringify([file, caller]);
    const merged = mergeContext(BUILT_IN_CONTEXT, file, caller);
    (merged.n as Record<string, number[]>).list?.push(3);
    expect(JSON.stringify([file, caller])).toBe(before);
    expect(BUILT_IN_CONTEXT['goauthentik.io/rbac/models']).toEqual({});
  });

  it('keeps __proto__ as data in the merged context', () => {
    const caller = mapping([['__proto__', mapping([['polluted', true]])]]);
    const merged = mergeContext(BUILT_IN_CONTEXT, null, caller);
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(Object.keys(merged)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(resolve(scalar('Context', '__proto__'), fakeScope({ context: merged }))).toEqual({
      polluted: true,
    });
  });

  it('feeds !Context', () => {
    const context = mergeContext(
      BUILT_IN_CONTEXT,
      mapping([['domain', 'file.example']]),
      mapping([['domain', 'caller.example']]),
    );
    const scope = fakeScope({ context });
    expect(resolve(scalar('Context', 'domain'), scope)).toBe('caller.example');
    expect(resolve(scalar('Context', 'goauthentik.io/enterprise/licensed'), scope)).toBe(false);
  });
});

describe('deepMerge and deepMergeResolved', () => {
  it('are pure always_merger merges', () => {
    const base = mapping([
      ['a', [1]],
      ['m', mapping([['x', 1]])],
    ]);
    const next = mapping([
      ['a', [2]],
      ['m', mapping([['y', 2]])],
      ['s', 's'],
    ]);
    expect(deepMerge(base, next)).toEqual({ a: [1, 2], m: { x: 1, y: 2 }, s: 's' });
    expect(base).toEqual({ a: [1], m: { x: 1 } });
    expect(deepMerge('x', 'y')).toBe('y');
  });

  it('deepMergeResolved merges a tag-shaped mapping of data as a mapping', () => {
    const merged = deepMergeResolved({ $tag: 'KeyOf', value: 'a' }, { extra: 1 });
    expect(merged).toEqual({ $tag: 'KeyOf', value: 'a', extra: 1 });
  });
});
