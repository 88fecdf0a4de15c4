import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARSE_OPTIONS,
  parseBlueprintDocument,
  type ParseBlueprintResult,
} from '../../../src/main/blueprint/yaml';
import { parseError, parseOk } from './fixtures';

/**
 * Hostile inputs must come back as typed errors, fast. Timings are logged for the record and
 * only loosely bounded here (a hang or a crash is what these guard against, not a benchmark).
 */
function timed(
  label: string,
  input: string | Uint8Array,
  options?: Parameters<typeof parseBlueprintDocument>[1],
): ParseBlueprintResult {
  const start = performance.now();
  const result = parseBlueprintDocument(input, options);
  const elapsed = performance.now() - start;
  console.info(
    `${label}: ${elapsed.toFixed(1)} ms → ${result.ok ? 'document' : result.error.code}`,
  );
  expect(elapsed).toBeLessThan(3000);
  return result;
}

function billionLaughs(levels: number, fanOut: number): string {
  const lines = [
    'version: 1',
    'entries: []',
    'context:',
    `  l0: &l0 [${Array(fanOut).fill('"lol"').join(', ')}]`,
  ];
  for (let level = 1; level <= levels; level++) {
    lines.push(
      `  l${level}: &l${level} [${Array(fanOut)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('alias bombs', () => {
  it('refuses billion laughs (10^9 expansions) with alias-limit', () => {
    const result = timed('billion laughs', billionLaughs(9, 10));
    expect(result).toMatchObject({ ok: false, error: { code: 'alias-limit' } });
  });

  it('refuses a quadratic blow-up through merge keys', () => {
    const lines = [
      'version: 1',
      'entries: []',
      'context:',
      '  m0: &m0 {a0: 1, b0: 2, c0: 3, d0: 4}',
    ];
    for (let i = 1; i < 40; i++)
      lines.push(
        `  m${i}: &m${i} {<<: [*m${i - 1}], k${i}: [${Array(50)
          .fill(`*m${i - 1}`)
          .join(', ')}]}`,
      );
    const result = timed('merge bomb', `${lines.join('\n')}\n`);
    expect(result).toMatchObject({ ok: false, error: { code: 'alias-limit' } });
  });

  it('refuses merge chains that fan out (each level merging many aliases of the one below)', () => {
    const lines = ['version: 1', 'entries: []', 'context:', '  m0: &m0 {a: 1}'];
    for (let i = 1; i < 40; i++)
      lines.push(
        `  m${i}: &m${i} {<<: [${Array(50)
          .fill(`*m${i - 1}`)
          .join(', ')}]}`,
      );
    const result = timed('merge fan-out bomb', `${lines.join('\n')}\n`);
    expect(result).toMatchObject({ ok: false, error: { code: 'alias-limit' } });
  });

  it('allows ordinary alias use, and the limit can be raised or lowered', () => {
    expect(parseOk(billionLaughs(2, 10)).context).toBeDefined();
    expect(parseError(billionLaughs(2, 10), { maxAliasNodes: 50 }).code).toBe('alias-limit');
  });

  it('refuses an alias to the node that contains it', () => {
    expect(parseError('version: 1\nentries: &e [*e]\n').code).toBe('invalid-alias');
    expect(parseError('version: 1\nentries: []\ncontext: &c {<<: *c}\n').code).toBe(
      'invalid-alias',
    );
  });
});

describe('deep nesting', () => {
  const depth = 20_000;

  it.each([
    [
      'flow sequences',
      `version: 1\nentries: []\ncontext:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
    ],
    ['unclosed flow sequences', `version: 1\nentries: []\ncontext:\n  x: ${'['.repeat(depth)}\n`],
    [
      'flow mappings',
      `version: 1\nentries: []\ncontext:\n  x: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`,
    ],
    ['block sequences', `version: 1\nentries: []\ncontext:\n  x:\n    ${'- '.repeat(depth)}x\n`],
    [
      'nested tags',
      `version: 1\nentries: []\ncontext:\n  x: ${'!If ['.repeat(depth)}1${']'.repeat(depth)}\n`,
    ],
  ])('refuses 20 000 levels of %s with too-deep', (label, text) => {
    const result = timed(`20k-deep ${label}`, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['too-deep', 'syntax']).toContain(result.error.code);
    if (!result.ok && label !== 'unclosed flow sequences')
      expect(result.error.code).toBe('too-deep');
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    const nest = (levels: number) =>
      `version: 1\nentries: []\ncontext:\n  x: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
    // context (1) + x (2) + the sequences: the limit counts every level from the root.
    expect(parseBlueprintDocument(nest(DEFAULT_PARSE_OPTIONS.maxDepth - 2)).ok).toBe(true);
    expect(parseError(nest(DEFAULT_PARSE_OPTIONS.maxDepth + 1)).code).toBe('too-deep');
    expect(parseError(nest(20), { maxDepth: 10 }).code).toBe('too-deep');
  });
});

describe('size', () => {
  const line =
    '  - model: authentik_stages_prompt.prompt\n    identifiers: {name: xxxxxxxxxxxxxxxx}\n';
  const fiftyMegabytes = `version: 1\nentries:\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`;

  it('refuses a 50 MB string with too-large, without reading it', () => {
    const result = timed('50 MB string', fiftyMegabytes);
    expect(result).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });

  it('refuses 50 MB of bytes with too-large', () => {
    const result = timed('50 MB bytes', new TextEncoder().encode(fiftyMegabytes));
    expect(result).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });

  it('measures UTF-8 bytes, not characters', () => {
    const text = `version: 1\nentries: []\ncontext:\n  x: "${'é'.repeat(600)}"\n`;
    // ~640 characters, ~1240 bytes.
    expect(parseBlueprintDocument(text, { maxBytes: 1300 }).ok).toBe(true);
    expect(parseError(text, { maxBytes: 1100 }).code).toBe('too-large');
  });

  it('refuses too many nodes before building a tree (a 10 MB flat list)', () => {
    const text = `version: 1\nentries: []\ncontext:\n  x: [${'1,'.repeat(5 * 1024 * 1024 - 64)}1]\n`;
    const result = timed('10 MB flat list', text);
    expect(result).toMatchObject({ ok: false, error: { code: 'too-many-nodes' } });
  });

  it('reads a large blueprint under the node limit in about a second', () => {
    const entries = 4000;
    const text = `version: 1\nentries:\n${'  - model: a.b\n    identifiers: {name: x}\n    attrs: {k: !KeyOf y, n: 1}\n'.repeat(entries)}`;
    const result = timed(`${entries} entries`, text);
    expect(result.ok && result.document.entries.length).toBe(entries);
  });
});

describe('garbage', () => {
  it('refuses invalid UTF-8 bytes with invalid-encoding', () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
    expect(timed('binary garbage', bytes)).toMatchObject({
      ok: false,
      error: { code: 'invalid-encoding' },
    });
    expect(parseError(new Uint8Array([0x76, 0xff, 0xfe])).code).toBe('invalid-encoding');
  });

  it('refuses NUL and other control characters with their position', () => {
    const error = parseError('version: 1\nentries: []\ncontext:\n  x: "a\u0000b"\n');
    expect(error).toMatchObject({ code: 'invalid-character', position: { line: 4, column: 8 } });
    expect(parseError('version: 1\u0007\nentries: []\n').code).toBe('invalid-character');
    expect(parseError('version: 1\nentries: []\n\u007f').code).toBe('invalid-character');
    expect(parseError('version: 1\nentries: []\n#\uFFFE').code).toBe('invalid-character');
  });

  it('refuses a lone surrogate in a string input', () => {
    expect(parseError('version: 1\nentries: []\ncontext:\n  x: "\uD800"\n').code).toBe(
      'invalid-character',
    );
  });

  it('refuses random printable noise with a syntax or structure error', () => {
    const result = parseBlueprintDocument('}{][:- ? ! & * | > % @ `');
    expect(result.ok).toBe(false);
  });
});

describe('prototype pollution', () => {
  it('keeps __proto__, constructor and prototype as plain keys', () => {
    const document = parseOk(
      'version: 1\nentries:\n  - model: a.b\n    attrs:\n      __proto__: {polluted: yes}\n      constructor: {prototype: {polluted: yes}}\n      toString: x\ncontext:\n  __proto__:\n    polluted: yes\n',
    );
    const attrs = document.entries[0]?.attrs as Record<string, unknown>;
    expect(Object.keys(attrs)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(attrs['__proto__']).toEqual({ polluted: true });
    expect(Object.getPrototypeOf(attrs)).toBe(null);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(document.context ?? {})).toEqual(['__proto__']);
  });

  it('merges a __proto__ key without touching any prototype', () => {
    parseOk(
      'version: 1\nentries: []\ncontext:\n  a: &a {__proto__: {polluted: 1}}\n  b: {<<: *a}\n',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('keys', () => {
  it.each([
    ['1: x', 'an integer'],
    ['yes: x', 'a boolean'],
    ['~: x', 'null'],
    [': x', 'null'],
    ['1.5: x', 'a float'],
    ['2024-01-01: x', 'a date'],
    ['[a, b]: x', 'a collection'],
    ['{a: b}: x', 'a collection'],
    ['? [a]\n  : x', 'a collection'],
    ['!!int "1": x', 'not a string'],
    ['!KeyOf a: x', 'not a string'],
  ])('refuses the non-string key %j', (line, what) => {
    const error = parseError(`version: 1\nentries: []\ncontext:\n  ${line}\n`);
    expect(error.code).toBe('non-string-key');
    expect(error.message).toContain(what);
    expect(error.position?.line).toBe(4);
  });

  it('accepts quoted and odd-but-string keys', () => {
    expect(
      parseOk(
        'version: 1\nentries: []\ncontext:\n  "1": a\n  "yes": b\n  y: c\n  n: d\n  !!str 2: e\n',
      ).context,
    ).toEqual({
      '1': 'a',
      yes: 'b',
      y: 'c',
      n: 'd',
      '2': 'e',
    });
  });
});
