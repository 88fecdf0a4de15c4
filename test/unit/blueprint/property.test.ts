import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseBlueprintDocument,
  serializeBlueprintDocument,
  stripSource,
} from '../../../src/main/blueprint/yaml';
import { anyDocument, anyValue } from './arbitraries';
import { expectWellFormedResult, parseOk, readFixture } from './fixtures';

const seed = serializeBlueprintDocument(parseOk(readFixture('default/default-brand.yaml')));
const seedBytes = new TextEncoder().encode(seed);

/** One byte-level change to a valid file: flip, overwrite, insert, delete or duplicate. */
const corruption = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 16 }),
  }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 64 }),
  }),
);
type Corruption = typeof corruption extends fc.Arbitrary<infer C> ? C : never;

function corrupt(bytes: Uint8Array, change: Corruption): Uint8Array {
  const at = change.at % (bytes.length + 1);
  const before = bytes.subarray(0, at);
  const after = bytes.subarray(at);
  switch (change.kind) {
    case 'flip':
    case 'set': {
      if (at >= bytes.length) return bytes;
      const copy = bytes.slice();
      copy[at] = change.kind === 'flip' ? (copy[at] ?? 0) ^ (1 << change.bit) : change.byte;
      return copy;
    }
    case 'insert':
      return new Uint8Array([...before, ...change.bytes, ...after]);
    case 'delete':
      return new Uint8Array([...before, ...bytes.subarray(at + change.length)]);
    case 'repeat':
      return new Uint8Array([...before, ...bytes.subarray(at, at + change.length), ...after]);
  }
}

describe('parsing never throws', () => {
  it('returns a document or a known error code for random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectWellFormedResult(parseBlueprintDocument(text));
      }),
      { numRuns: 500 },
    );
  });

  it('returns a document or a known error code for YAML-ish text', () => {
    const token = fc.constantFrom(
      'version: 1\n',
      'entries:\n',
      '  - ',
      'model: a.b',
      '\n',
      ' ',
      '  ',
      '[',
      ']',
      '{',
      '}',
      ',',
      ':',
      '- ',
      '? ',
      '&a ',
      '*a',
      '<<: ',
      '!KeyOf ',
      '!Find ',
      '!If ',
      '!!int ',
      '!!binary ',
      '!Unknown ',
      '"',
      "'",
      '|',
      '>',
      '#',
      '---\n',
      '...\n',
      '%YAML 1.1\n',
      'yes',
      '0755',
      '=',
      '\t',
      '~',
      '__proto__',
      'attrs',
      'identifiers',
      'state: ',
      'absent',
      'id: ',
      'x',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        expectWellFormedResult(parseBlueprintDocument(`version: 1\n${tokens.join('')}`));
      }),
      { numRuns: 1000 },
    );
  });

  it('returns a document or a known error code for byte-level corruptions of a valid file', () => {
    fc.assert(
      fc.property(fc.array(corruption, { minLength: 1, maxLength: 4 }), (changes) => {
        const bytes = changes.reduce(corrupt, seedBytes);
        expectWellFormedResult(parseBlueprintDocument(bytes));
        expectWellFormedResult(parseBlueprintDocument(new TextDecoder().decode(bytes)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('serialization round-trips', () => {
  it('any document: serialize then parse gives it back', () => {
    fc.assert(
      fc.property(anyDocument, (document) => {
        const text = serializeBlueprintDocument(document);
        const result = parseBlueprintDocument(text, { maxAliasNodes: 0 });
        if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}\n${text}`);
        expect(result.warnings.filter((w) => w.code !== 'precision-loss')).toEqual([]);
        expect(stripSource(result.document)).toEqual(document);
      }),
      { numRuns: 400 },
    );
  });

  it('any value survives in an entry attribute, context and a tag argument', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const document = {
          version: 1 as const,
          context: { v: value },
          entries: [
            {
              model: 'a.b',
              attrs: { v: value },
              identifiers: { v: { $tag: 'If' as const, args: [value] } },
            },
          ],
        };
        const again = stripSource(parseOk(serializeBlueprintDocument(document)));
        expect(again.context).toEqual(document.context);
        expect(again.entries[0]?.attrs).toEqual(document.entries[0]?.attrs);
        expect(again.entries[0]?.identifiers).toEqual(document.entries[0]?.identifiers);
      }),
      { numRuns: 400 },
    );
  });

  it('serialization is stable: writing the re-read document gives the same text', () => {
    fc.assert(
      fc.property(anyDocument, (document) => {
        const text = serializeBlueprintDocument(document);
        expect(serializeBlueprintDocument(parseOk(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
