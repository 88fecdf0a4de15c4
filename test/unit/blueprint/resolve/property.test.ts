import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_RESOLVE_DEPTH,
  ResolveError,
  mergeContext,
  pythonPercentFormat,
  pythonTruthy,
} from '../../../../src/main/blueprint/resolve';
import { isTagNode, type BlueprintValue } from '../../../../src/main/blueprint/yaml';
import { fakeScope, mapping, resolve, resolveError, scalar, seq } from './helpers';

const keys = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '$tag',
    'value',
    'args',
    '0',
    '10',
  ),
);

/** Tag-free document values, mappings built like the parser builds them. */
const plainValue: fc.Arbitrary<BlueprintValue> = fc.letrec<{ value: BlueprintValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(keys, tie('value')), { maxLength: 4, selector: ([key]) => key })
      .map((pairs) => mapping(pairs))
      .filter((value) => !isTagNode(value)),
  ),
})).value;

function hasTag(value: unknown): boolean {
  if (isTagNode(value)) return true;
  if (Array.isArray(value)) return value.some(hasTag);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasTag);
  return false;
}

/** Every object in a resolved value: mappings on a null prototype, nothing shared with `input`. */
function checkFresh(resolved: unknown, input: unknown): void {
  if (typeof resolved !== 'object' || resolved === null) return;
  expect(resolved).not.toBe(input);
  if (Array.isArray(resolved)) {
    resolved.forEach((item, index) => checkFresh(item, (input as unknown[])[index]));
    return;
  }
  expect(Object.getPrototypeOf(resolved)).toBeNull();
  for (const key of Object.keys(resolved)) {
    checkFresh((resolved as Record<string, unknown>)[key], (input as Record<string, unknown>)[key]);
  }
}

/** Python's bool() written out per type, as the language reference states it. */
function referenceTruthy(value: unknown): boolean {
  if (value === null) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return !(value === 0); // NaN is true in Python
    case 'string':
      return value !== '';
    default:
      return Array.isArray(value) ? value.length > 0 : Object.keys(value as object).length > 0;
  }
}

describe('properties', () => {
  it('resolving a tag-free value gives a deep-equal, fresh, null-prototype copy', () => {
    fc.assert(
      fc.property(plainValue, (value) => {
        fc.pre(!hasTag(value));
        const before = JSON.stringify(value);
        const resolved = resolve(value);
        expect(resolved).toEqual(value);
        checkFresh(resolved, value);
        expect(JSON.stringify(value)).toBe(before);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          expect(Object.keys(resolved as object)).toEqual(Object.keys(value));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pythonTruthy matches the reference, and !If / !Condition agree with it', () => {
    fc.assert(
      fc.property(plainValue, (value) => {
        fc.pre(!hasTag(value));
        const truthy = pythonTruthy(value);
        expect(truthy).toBe(referenceTruthy(value));
        expect(resolve(seq('If', value))).toBe(truthy);
        expect(resolve(seq('Condition', 'OR', value))).toBe(truthy);
        expect(resolve(seq('Condition', 'XNOR', value))).toBe(!truthy);
      }),
      { numRuns: 300 },
    );
  });

  it('XOR is true for an odd number of truthy values; AND/OR/NAND/NOR as all/any', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (values) => {
        const count = values.filter(Boolean).length;
        expect(resolve(seq('Condition', 'XOR', ...values))).toBe(count % 2 === 1);
        expect(resolve(seq('Condition', 'XNOR', ...values))).toBe(count % 2 === 0);
        expect(resolve(seq('Condition', 'AND', ...values))).toBe(count === values.length);
        expect(resolve(seq('Condition', 'NAND', ...values))).toBe(count !== values.length);
        expect(resolve(seq('Condition', 'OR', ...values))).toBe(count > 0);
        expect(resolve(seq('Condition', 'NOR', ...values))).toBe(count === 0);
      }),
    );
  });

  it('Enumerate SEQ of !Value gives the list back, of !Index its indexes', () => {
    fc.assert(
      fc.property(fc.array(plainValue, { maxLength: 5 }), (items) => {
        fc.pre(!hasTag(items));
        expect(resolve(seq('Enumerate', items, 'SEQ', scalar('Value', '0')))).toEqual(items);
        expect(resolve(seq('Enumerate', items, 'SEQ', scalar('Index', '0')))).toEqual(
          items.map((_, index) => index),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('%s of text is the text, %d of an int its decimal form', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer(), (text, number) => {
        expect(pythonPercentFormat('%s|%d', [text, number])).toBe(`${text}|${number}`);
        expect(resolve(seq('Format', '%%%s', text))).toBe(`%${text}`);
      }),
    );
  });

  it('mergeContext: later scalars win, every key survives, empty layers change nothing', () => {
    const flat = fc.dictionary(
      fc.string({ maxLength: 4 }),
      fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
      {
        maxKeys: 6,
      },
    );
    fc.assert(
      fc.property(flat, flat, (file, caller) => {
        const merged = mergeContext(
          {},
          mapping(Object.entries(file)),
          mapping(Object.entries(caller)),
        );
        expect(new Set(Object.keys(merged))).toEqual(
          new Set([...Object.keys(file), ...Object.keys(caller)]),
        );
        for (const [key, value] of Object.entries(caller)) expect(merged[key]).toEqual(value);
        expect(mergeContext(null, mapping(Object.entries(file)), {})).toEqual(
          mapping(Object.entries(file)),
        );
      }),
    );
  });
});

describe('depth guard', () => {
  function nestedList(depth: number, leaf: BlueprintValue = 1): BlueprintValue {
    let value = leaf;
    for (let index = 0; index < depth; index++) value = [value];
    return value;
  }

  it('resolves deep but reasonable nesting', () => {
    expect(resolve(nestedList(MAX_RESOLVE_DEPTH - 10))).toEqual(nestedList(MAX_RESOLVE_DEPTH - 10));
  });

  it('refuses very deep data with RESOLVE_TOO_DEEP, not a stack overflow', () => {
    const error = resolveError(nestedList(200_000), 'RESOLVE_TOO_DEEP');
    expect(error).toBeInstanceOf(ResolveError);
    expect(error.path.length).toBeGreaterThan(100);
  });

  it('refuses deeply nested tags', () => {
    let tag: BlueprintValue = 'leaf';
    for (let index = 0; index < 50_000; index++) tag = seq('If', true, tag, null);
    resolveError(tag, 'RESOLVE_TOO_DEEP');
    let format: BlueprintValue = 'x';
    for (let index = 0; index < 50_000; index++) format = seq('Format', '%s', format);
    resolveError(format, 'RESOLVE_TOO_DEEP');
  });

  it('refuses a !Context that refers to itself', () => {
    const scope = fakeScope({
      context: mapping([['self', seq('If', true, scalar('Context', 'self'), null)]]),
    });
    expect(resolveError(scalar('Context', 'self'), 'RESOLVE_TOO_DEEP', scope).message).toContain(
      '!Context self → self',
    );
  });

  it('refuses !ParseJSON text nested past the limit', () => {
    resolveError(
      scalar('ParseJSON', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      'RESOLVE_TOO_DEEP',
    );
    expect(resolve(scalar('ParseJSON', `${'['.repeat(100)}${']'.repeat(100)}`))).toEqual(
      nestedList(99, []),
    );
  });
});
