import { describe, expect, it } from 'vitest';
import {
  parseBlueprintDocument,
  serializeBlueprintDocument,
  stripSource,
  type BlueprintEntry,
} from '../../../src/main/blueprint/yaml';
import { documentTags, fixtureFiles, parseOk, readFixture } from './fixtures';

const files = fixtureFiles();

describe('authentik blueprint fixtures', () => {
  it('finds the fixture files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(files)('%s', (name) => {
    const text = readFixture(name);

    it('parses without error or warning', () => {
      const result = parseBlueprintDocument(text);
      expect(result.ok && result.warnings).toEqual([]);
      const document = parseOk(text);
      expect(document.version).toBe(1);
      expect(document.entries.length).toBeGreaterThan(0);
      for (const entry of document.entries) expect(entry.model).toBeTruthy();
    });

    it('round-trips: serialize then parse gives the same document, tags intact', () => {
      const document = parseOk(text);
      const written = serializeBlueprintDocument(document);
      const again = parseOk(written);
      expect(stripSource(again)).toEqual(stripSource(document));
      expect(documentTags(again)).toEqual(documentTags(document));
      expect(written.match(/!KeyOf /g)?.length ?? 0).toBe(text.match(/!KeyOf /g)?.length ?? 0);
    });

    it('writes the same text again once normalized (serialization is deterministic)', () => {
      const once = serializeBlueprintDocument(parseOk(text));
      expect(serializeBlueprintDocument(parseOk(once))).toBe(once);
    });

    it('records where each entry starts', () => {
      const document = parseOk(text);
      for (const entry of document.entries as BlueprintEntry[]) {
        expect(entry.source?.position.line).toBeGreaterThan(0);
        expect(text.slice(entry.source?.position.offset)).toMatch(/^[a-z_]+:/);
      }
    });
  });

  it('keeps the comment in default-brand.yaml', () => {
    const written = serializeBlueprintDocument(parseOk(readFixture('default/default-brand.yaml')));
    expect(written).toContain(
      '# Only create default brand if no other default brand exists\n      - !Condition',
    );
  });

  it('writes the same tags as the source: !Find, !Env, !Condition', () => {
    const written = serializeBlueprintDocument(parseOk(readFixture('default/default-brand.yaml')));
    expect(written).toContain(
      'flow_authentication: !Find [authentik_flows.flow, [slug, default-authentication-flow]]',
    );
    expect(written).toContain('default: !Env [AUTHENTIK_DEFAULT_BRAND_ENABLED, true]');
    expect(written).toContain(
      '- !Condition [NOR, !Find [authentik_brands.brand, [default, true]]]',
    );
  });

  it('keeps Python expressions as literal blocks', () => {
    const text = readFixture('default/flow-oobe.yaml');
    const document = parseOk(text);
    const written = serializeBlueprintDocument(document);
    const expressions = document.entries
      .map((entry) => entry.attrs?.expression)
      .filter((value): value is string => typeof value === 'string');
    expect(expressions.length).toBeGreaterThan(0);
    for (const expression of expressions) {
      const firstLine = expression.split('\n')[0] ?? '';
      expect(written).toContain(`expression: |\n        ${firstLine}`);
    }
  });
});
