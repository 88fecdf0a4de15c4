import { describe, expect, it } from 'vitest';
import {
  parseBlueprintDocument,
  serializeBlueprintDocument,
  type BlueprintValue,
} from '../../../src/main/blueprint/yaml';
import { blueprint, parseError, parseOk } from './fixtures';

/** Reads `value: <yaml>` from the document's context. */
function contextValue(valueYaml: string): BlueprintValue | undefined {
  return parseOk(`version: 1\nentries: []\ncontext:\n  value: ${valueYaml}\n`).context?.value;
}

function contextResult(valueYaml: string) {
  return parseBlueprintDocument(`version: 1\nentries: []\ncontext:\n  value: ${valueYaml}\n`);
}

describe('plain scalars are typed as PyYAML SafeLoader types them', () => {
  // Each expectation was checked against PyYAML 6.0.3 `yaml.safe_load`.
  it.each<[string, BlueprintValue]>([
    // YAML 1.1 booleans; `y`/`n` are strings for PyYAML (the `yaml` package says booleans).
    ['yes', true],
    ['No', false],
    ['on', true],
    ['OFF', false],
    ['TRUE', true],
    ['tRUE', 'tRUE'],
    ['y', 'y'],
    ['n', 'n'],
    // Integers: YAML 1.1 octal, binary, hex, underscores, sexagesimal.
    ['0755', 493],
    ['0o755', '0o755'],
    ['0x1F', 31],
    ['+0x1F', 31],
    ['0b101', 5],
    ['-0b11', -3],
    ['1_000', 1000],
    ['1__0', 10],
    ['190:20:30', 685230],
    ['-1:30', -90],
    ['12:60', '12:60'],
    ['09', '09'],
    ['08', '08'],
    ['00', 0],
    ['0_1', 1],
    ['-0', 0],
    ['+12', 12],
    // Floats need a dot, and an exponent needs a sign.
    ['1e5', '1e5'],
    ['1.0e5', '1.0e5'],
    ['1.5e3', '1.5e3'],
    ['1.0e+5', 100000],
    ['6.8523015e+5', 685230.15],
    ['685.230_15e+03', 685230.15],
    ['1.', 1],
    ['.5', 0.5],
    ['._5', '._5'],
    ['.', '.'],
    ['+.', '+.'],
    ['1:30.5', 90.5],
    ['1.2.3', '1.2.3'],
    ['.inf', Number.POSITIVE_INFINITY],
    ['-.Inf', Number.NEGATIVE_INFINITY],
    ['.NaN', Number.NaN],
    // Nulls.
    ['~', null],
    ['null', null],
    ['Null', null],
    ['', null],
    ['nULL', 'nULL'],
    // Timestamps are kept as the text written (PyYAML builds a date/datetime).
    ['2024-01-02', '2024-01-02'],
    ['2024-01-02T10:00:00Z', '2024-01-02T10:00:00Z'],
    ['2024-01-02 10:00:00', '2024-01-02 10:00:00'],
    ['2024-01-02t10:00:00.5+01:00', '2024-01-02t10:00:00.5+01:00'],
    ['2024-1-2', '2024-1-2'],
    // Strings.
    ['authentik_flows.flow', 'authentik_flows.flow'],
    ['"yes"', 'yes'],
    ["'0755'", '0755'],
  ])('%s', (yaml, expected) => {
    expect(contextValue(yaml)).toEqual(expected);
  });

  it('reads explicit standard tags the way PyYAML constructs them', () => {
    expect(contextValue('!!str 12')).toBe('12');
    expect(contextValue('!!int "12"')).toBe(12);
    expect(contextValue('!!int "1:30"')).toBe(90);
    expect(contextValue('!!int 0b1_1')).toBe(3);
    expect(contextValue('!!float 1')).toBe(1);
    expect(contextValue('!!float .5')).toBe(0.5);
    expect(contextValue('!!bool yes')).toBe(true);
    expect(contextValue('!!null x')).toBe(null);
    expect(contextValue('!!str')).toBe('');
    expect(contextValue('!!seq [1]')).toEqual([1]);
    expect(contextValue('!!map {}')).toEqual({});
    expect(contextValue('!!timestamp 2024-01-01')).toBe('2024-01-01');
  });

  it.each([
    '!!int x',
    '!!bool x',
    '!!timestamp x',
    '2024-13-45',
    '0000-00-00',
    '2024-02-30',
    '2023-02-29 10:00:00',
    '2024-01-01 24:00:00',
  ])('%s cannot be constructed → invalid-scalar', (yaml) => {
    expect(contextResult(yaml)).toMatchObject({ ok: false, error: { code: 'invalid-scalar' } });
  });

  it('accepts a leap day', () => {
    expect(contextValue('2024-02-29')).toBe('2024-02-29');
  });

  it('warns when an integer is too large for a JavaScript number', () => {
    const result = contextResult('123456789012345678901234567890');
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['precision-loss']);
  });
});

describe('what the `yaml` package reads but PyYAML refuses', () => {
  it('reads a plain `=` as a string, warns, and writes it quoted', () => {
    const result = contextResult('=');
    expect(result.ok && result.document.context?.value).toBe('=');
    expect(result.warnings.map((w) => w.code)).toEqual(['pyyaml-incompatible']);
    if (result.ok) expect(serializeBlueprintDocument(result.document)).toContain('value: "="');
  });

  it.each(['a:\tb', 'a: b\tc', 'a: b\t# comment', 'a: [1,\t2]'])(
    'warns about a tab PyYAML refuses: %j',
    (line) => {
      const result = parseBlueprintDocument(`version: 1\nentries: []\ncontext:\n  ${line}\n`);
      expect(result.ok).toBe(true);
      expect(result.warnings.map((w) => w.code)).toContain('pyyaml-incompatible');
      expect(result.warnings[0]?.position?.line).toBe(4);
    },
  );

  it('accepts tabs inside quoted and block scalars without a warning', () => {
    const result = parseBlueprintDocument(
      'version: 1\nentries: []\ncontext:\n  a: "x\ty"\n  b: |\n    \tindented\n',
    );
    expect(result.ok && result.warnings).toEqual([]);
    expect(result.ok && result.document.context).toEqual({ a: 'x\ty', b: '\tindented\n' });
  });

  it('refuses tab indentation, as both parsers do', () => {
    expect(parseError('version: 1\nentries:\n\t- model: a.b\n').code).toBe('syntax');
  });

  it('warns about an anchor defined twice', () => {
    const result = parseBlueprintDocument(
      'version: 1\nentries: []\ncontext:\n  a: &x 1\n  b: &x 2\n  c: *x\n',
    );
    expect(result.ok && result.document.context).toEqual({ a: 1, b: 2, c: 2 });
    expect(result.warnings.map((w) => w.code)).toEqual(['pyyaml-incompatible']);
  });

  it('warns about characters PyYAML reads as line breaks', () => {
    const result = parseBlueprintDocument('version: 1\nentries: []\ncontext:\n  a: "x\u2028y"\n');
    expect(result.warnings.map((w) => w.code)).toEqual(['pyyaml-incompatible']);
  });
});

describe('duplicate keys', () => {
  it('are a typed error by default, at the second occurrence', () => {
    const result = parseBlueprintDocument(
      blueprint('  - model: a.b\n    attrs:\n      name: first\n      order: 1\n      name: second\n'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      code: 'duplicate-key',
      position: { line: 7, column: 7 },
      path: ['entries', 0, 'attrs', 'name'],
    });
    expect(result.error.message).toContain('remove one of them');
  });

  it("with duplicateKeys: 'warn', keep the last value at the first position, as PyYAML does", () => {
    const result = parseBlueprintDocument(
      blueprint(
        '  - model: a.b\n    attrs:\n      name: first\n      order: 1\n      name: second\n',
      ),
      { duplicateKeys: 'warn' },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const attrs = result.document.entries[0]?.attrs ?? {};
    expect(attrs).toEqual({ name: 'second', order: 1 });
    expect(Object.keys(attrs)).toEqual(['name', 'order']);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({
      code: 'duplicate-key',
      position: { line: 7, column: 7 },
      path: ['entries', 0, 'attrs', 'name'],
    });
  });

  it('warns for a duplicate top-level key; the later `entries` wins', () => {
    const result = parseBlueprintDocument('version: 1\nentries: []\nentries:\n  - model: a.b\n', { duplicateKeys: 'warn' });
    expect(result.ok && result.document.entries.length).toBe(1);
    expect(result.warnings.map((w) => w.code)).toEqual(['duplicate-key']);
  });
});

describe('merge keys', () => {
  it('merges an anchored mapping, own keys winning', () => {
    const document = parseOk(
      'version: 1\ncontext:\n  base: &base {designation: authentication, title: Base}\nentries:\n  - model: authentik_flows.flow\n    attrs:\n      <<: *base\n      title: Mine\n',
    );
    expect(document.entries[0]?.attrs).toEqual({ designation: 'authentication', title: 'Mine' });
  });

  it('merges a list of mappings, earlier ones winning (PyYAML order)', () => {
    expect(contextValue('{<<: [{a: 1}, {a: 2, b: 1}]}')).toEqual({ a: 1, b: 1 });
    expect(
      parseOk('version: 1\nentries: []\ncontext:\n  <<: {a: 1}\n  <<: {a: 2, b: 1}\n').context,
    ).toEqual({ a: 2, b: 1 });
    expect(contextValue('{x: &x {b: 1}, c: {<<: [*x, {d: 2}], b: 3}}')).toEqual({
      x: { b: 1 },
      c: { b: 3, d: 2 },
    });
  });

  it('treats a quoted "<<" as an ordinary key', () => {
    expect(contextValue('{"<<": 1}')).toEqual({ '<<': 1 });
  });

  it('refuses a merge of something that is not a mapping', () => {
    expect(contextResult('{<<: 1}')).toMatchObject({ ok: false, error: { code: 'invalid-merge' } });
    expect(contextResult('{<<: [a]}')).toMatchObject({
      ok: false,
      error: { code: 'invalid-merge' },
    });
  });

  it('writes the merged result, not the merge key', () => {
    const document = parseOk(
      'version: 1\nentries: []\ncontext:\n  a: &a {x: 1}\n  b:\n    <<: *a\n    y: 2\n',
    );
    expect(serializeBlueprintDocument(document)).toContain('  b:\n    x: 1\n    y: 2\n');
  });
});

describe('aliases', () => {
  it('expands aliases to copies of the anchored value, tags included', () => {
    const document = parseOk(
      'version: 1\nentries:\n  - model: a.b\n    attrs:\n      a: &flow !KeyOf flow\n      b: *flow\n',
    );
    expect(document.entries[0]?.attrs).toEqual({
      a: { $tag: 'KeyOf', value: 'flow' },
      b: { $tag: 'KeyOf', value: 'flow' },
    });
  });

  it('refuses an alias with no anchor before it', () => {
    expect(parseError('version: 1\nentries: []\ncontext:\n  a: *nope\n').code).toBe(
      'invalid-alias',
    );
    expect(parseError('version: 1\nentries: []\ncontext:\n  a: *later\n  b: &later 1\n').code).toBe(
      'invalid-alias',
    );
  });
});

describe('documents and encodings', () => {
  it('refuses a second document, as authentik does', () => {
    expect(parseError('version: 1\nentries: []\n---\nversion: 1\nentries: []\n').code).toBe(
      'multiple-documents',
    );
    expect(parseError('version: 1\nentries: []\n---\n').code).toBe('multiple-documents');
  });

  it('accepts a document end marker, a BOM, and CRLF line ends', () => {
    expect(parseOk('version: 1\nentries: []\n...\n').entries).toEqual([]);
    expect(parseOk('\uFEFFversion: 1\nentries: []\n').version).toBe(1);
    expect(
      parseOk(
        new Uint8Array([
          0xef,
          0xbb,
          0xbf,
          ...new TextEncoder().encode('version: 1\nentries: []\n'),
        ]),
      ).version,
    ).toBe(1);
    const crlf = parseOk(
      'version: 1\r\nentries:\r\n  - model: a.b\r\n    attrs:\r\n      x: |\r\n        line\r\n',
    );
    expect(crlf.entries[0]?.attrs).toEqual({ x: 'line\n' });
  });

  it('reads UTF-8 bytes', () => {
    const document = parseOk(
      new TextEncoder().encode('version: 1\nentries: []\ncontext:\n  name: Grüße 😀\n'),
    );
    expect(document.context).toEqual({ name: 'Grüße 😀' });
  });
});
