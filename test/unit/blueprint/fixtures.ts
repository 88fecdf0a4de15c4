import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import {
  PARSE_ERROR_CODES,
  isTagNode,
  parseBlueprintDocument,
  type BlueprintDocument,
  type BlueprintValue,
  type ParseBlueprintResult,
  type ParseOptions,
  type TagNode,
} from '../../../src/main/blueprint/yaml';

/** shared/ sits beside the repository, in development and in CI alike. */
export const FIXTURE_ROOT = fileURLToPath(
  new URL('../../../../shared/fixtures/authentik-blueprints/', import.meta.url),
);

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_ROOT, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURE_ROOT, name), 'utf8');
}

export function parseOk(text: string | Uint8Array, options?: ParseOptions): BlueprintDocument {
  const result = parseBlueprintDocument(text, options);
  if (!result.ok)
    throw new Error(`expected a document, got ${result.error.code}: ${result.error.message}`);
  return result.document;
}

export function parseError(text: string | Uint8Array, options?: ParseOptions) {
  const result = parseBlueprintDocument(text, options);
  if (result.ok) throw new Error('expected an error, got a document');
  return result.error;
}

/** A parse result is either a document or a known, non-internal error code; never a throw. */
export function expectWellFormedResult(result: ParseBlueprintResult): void {
  if (result.ok) return;
  expect(PARSE_ERROR_CODES).toContain(result.error.code);
  expect(result.error.code).not.toBe('internal');
}

/** Every tag node below `value`, depth first, in document order. */
export function collectTags(value: unknown, out: TagNode[] = []): TagNode[] {
  if (isTagNode(value)) {
    out.push(value);
    if ('args' in value) for (const arg of value.args) collectTags(arg, out);
  } else if (Array.isArray(value)) for (const item of value) collectTags(item, out);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collectTags(item, out);
  return out;
}

export function documentTags(document: BlueprintDocument): TagNode[] {
  return collectTags([
    document.context ?? null,
    ...document.entries.map((entry) => ({ ...entry, source: null })),
  ] as BlueprintValue);
}

/** The minimal valid blueprint around some entries YAML (indented as list items). */
export function blueprint(entriesYaml: string): string {
  return `version: 1\nentries:\n${entriesYaml}`;
}
