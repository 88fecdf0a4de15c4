import { describe, expect, it } from 'vitest';
import {
  serializeBlueprintDocument,
  stripSource,
  type BlueprintDocument,
  type BlueprintValue,
} from '../../../src/main/blueprint/yaml';
import { parseOk } from './fixtures';

/** Serializes `{ x: value }` as the context and returns the line(s) after `context:`. */
function writeContext(value: BlueprintValue): string {
  const text = serializeBlueprintDocument({ version: 1, context: { x: value }, entries: [] });
  return text.slice(text.indexOf('context:\n') + 'context:\n'.length, text.indexOf('entries:'));
}

function roundTrip(value: BlueprintValue): BlueprintValue | undefined {
  return parseOk(serializeBlueprintDocument({ version: 1, context: { x: value }, entries: [] }))
    .context?.x;
}

describe('formatting', () => {
  it('indents by two spaces, sequences included', () => {
    const document: BlueprintDocument = {
      version: 1,
      entries: [{ model: 'a.b', attrs: { list: ['one', { nested: true }] } }],
    };
    expect(serializeBlueprintDocument(document)).toBe(
      'version: 1\nentries:\n  - model: a.b\n    attrs:\n      list:\n        - one\n        - nested: true\n',
    );
  });

  it('never folds long strings', () => {
    const long = 'word '.repeat(60).trim();
    expect(writeContext(long)).toBe(`  x: ${long}\n`);
  });

  it('writes multi-line strings as literal blocks', () => {
    const expression = 'if request.user.is_superuser:\n    return True\nreturn False\n';
    expect(writeContext(expression)).toBe(
      '  x: |\n    if request.user.is_superuser:\n        return True\n    return False\n',
    );
    expect(writeContext('no trailing newline\nsecond')).toBe(
      '  x: |-\n    no trailing newline\n    second\n',
    );
    expect(writeContext('  leading indent\nx')).toBe('  x: |2-\n      leading indent\n    x\n');
    expect(roundTrip('  leading indent\nx')).toBe('  leading indent\nx');
  });

  it('writes empty collections inline', () => {
    expect(writeContext([])).toBe('  x: []\n');
    expect(writeContext({})).toBe('  x: {}\n');
  });

  it('quotes every string PyYAML would read as another type', () => {
    for (const text of [
      'yes',
      'Off',
      'null',
      '~',
      '',
      '0755',
      '0x1F',
      '1:30',
      '1_000',
      '.inf',
      '2024-01-01',
      '2024-01-01 10:00:00',
      '=',
      '<<',
      '12',
      '1.5',
    ]) {
      expect(writeContext(text)).toMatch(/^ {2}x: (".*"|'.*')\n$/);
      expect(roundTrip(text)).toBe(text);
    }
  });

  it('leaves strings plain when PyYAML reads them as strings', () => {
    for (const text of [
      'authentik_flows.flow',
      'default-authentication-flow',
      'Welcome to authentik!',
      'a:b',
      'y',
      'n',
    ]) {
      expect(writeContext(text)).toBe(`  x: ${text}\n`);
    }
  });

  it('quotes strings PyYAML would scan differently inside tag arguments', () => {
    expect(writeContext({ $tag: 'Find', args: ['a.b', ['slug', '?x'], [':y', 'a,b']] })).toBe(
      '  x: !Find [a.b, [slug, "?x"], [":y", "a,b"]]\n',
    );
    expect(writeContext({ $tag: 'If', args: [true, 'multi\nline', 'x'] })).toBe(
      '  x: !If [true, "multi\\nline", x]\n',
    );
  });

  it('escapes characters PyYAML refuses raw or reads as line breaks', () => {
    expect(writeContext('tab\there')).toBe('  x: "tab\\there"\n');
    expect(writeContext('bell\u0007')).toBe('  x: "bell\\x07"\n');
    expect(writeContext('line\u2028sep')).toBe('  x: "line\\u2028sep"\n');
    expect(writeContext('nel\u0085')).toBe('  x: "nel\\x85"\n');
    expect(writeContext('cr\r\nlf')).toBe('  x: "cr\\r\\nlf"\n');
    for (const text of [
      'tab\there',
      'bell\u0007',
      'line\u2028sep',
      'nel\u0085',
      'cr\r\nlf',
      '\uFEFFbom',
      'nul\u0000',
    ]) {
      expect(roundTrip(text)).toBe(text);
    }
  });

  it('writes numbers so PyYAML reads the same number', () => {
    expect(writeContext(1e21)).toBe('  x: 1.0e+21\n');
    expect(writeContext(1.5e-7)).toBe('  x: 1.5e-7\n');
    expect(writeContext(5e-324)).toBe('  x: 5.0e-324\n');
    expect(writeContext(-0)).toBe('  x: -0.0\n');
    expect(writeContext(Number.NaN)).toBe('  x: .nan\n');
    expect(writeContext(Number.NEGATIVE_INFINITY)).toBe('  x: -.inf\n');
    expect(writeContext(42)).toBe('  x: 42\n');
    for (const value of [
      1e21,
      1.5e-7,
      5e-324,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      0.1,
      -12.5,
      2 ** 53 - 1,
    ]) {
      expect(Object.is(roundTrip(value), value)).toBe(true);
    }
  });

  it('writes booleans and null the YAML 1.2 way, which PyYAML also reads', () => {
    expect(writeContext(true)).toBe('  x: true\n');
    expect(writeContext(null)).toBe('  x: null\n');
  });

  it('keeps unknown keys and extra entry fields in their place', () => {
    const document: BlueprintDocument = {
      version: 1,
      entries: [{ model: 'a.b', extra: { note: 'kept' }, keyOrder: ['note', 'model'] }],
      extra: { 'x-owner': 'team' },
      keyOrder: ['x-owner', 'version', 'entries'],
    };
    const text = serializeBlueprintDocument(document);
    expect(text).toBe('x-owner: team\nversion: 1\nentries:\n  - note: kept\n    model: a.b\n');
    expect(stripSource(parseOk(text))).toEqual(document);
  });

  it('writes keys that need it quoted, and __proto__ as a plain key', () => {
    const context = Object.create(null) as Record<string, BlueprintValue>;
    context['__proto__'] = 1;
    context['yes'] = 2;
    context['a: b'] = 3;
    const text = serializeBlueprintDocument({ version: 1, context, entries: [] });
    expect(text).toContain('  __proto__: 1\n  "yes": 2\n  "a: b": 3\n');
    expect(Object.keys(parseOk(text).context ?? {})).toEqual(['__proto__', 'yes', 'a: b']);
  });

  it('refuses a cyclic value instead of looping', () => {
    const cyclic: BlueprintValue[] = [];
    cyclic.push(cyclic);
    expect(() =>
      serializeBlueprintDocument({ version: 1, context: { cyclic }, entries: [] }),
    ).toThrow(TypeError);
  });

  it('writes a shared (non-cyclic) value twice', () => {
    const shared = { a: 1 };
    const text = serializeBlueprintDocument({
      version: 1,
      context: { one: shared, two: shared },
      entries: [],
    });
    expect(text).toBe('version: 1\ncontext:\n  one:\n    a: 1\n  two:\n    a: 1\nentries: []\n');
  });
});
