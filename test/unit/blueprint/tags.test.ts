import { describe, expect, it } from 'vitest';
import {
  isTagNode,
  parseBlueprintDocument,
  serializeBlueprintDocument,
  stripSource,
  type BlueprintValue,
} from '../../../src/main/blueprint/yaml';
import { blueprint, parseError, parseOk } from './fixtures';

/** Parses `value` written as the attrs field `x` of one entry. */
function attrValue(valueYaml: string): BlueprintValue | undefined {
  const document = parseOk(blueprint(`  - model: a.b\n    attrs:\n      x: ${valueYaml}\n`));
  return document.entries[0]?.attrs?.x;
}

function attrError(valueYaml: string) {
  return parseError(blueprint(`  - model: a.b\n    attrs:\n      x: ${valueYaml}\n`));
}

/** The YAML line the serializer writes for attrs field `x`. */
function written(valueYaml: string): string {
  const text = serializeBlueprintDocument(
    parseOk(blueprint(`  - model: a.b\n    attrs:\n      x: ${valueYaml}\n`)),
  );
  const line = text.split('\n').find((l) => l.trimStart().startsWith('x:'));
  return (line ?? '').trim();
}

describe('scalar-form tags', () => {
  it.each([
    ['!KeyOf flow', { $tag: 'KeyOf', value: 'flow' }],
    ['!KeyOf "my id"', { $tag: 'KeyOf', value: 'my id' }],
    ['!Context foo', { $tag: 'Context', value: 'foo' }],
    ['!Context some.nested.0', { $tag: 'Context', value: 'some.nested.0' }],
    ['!Env AUTHENTIK_X', { $tag: 'Env', value: 'AUTHENTIK_X' }],
    ['!File /run/secrets/x', { $tag: 'File', value: '/run/secrets/x' }],
    ['!Index 0', { $tag: 'Index', value: '0' }],
    ['!Value 1', { $tag: 'Value', value: '1' }],
    ['!ParseJSON \'{"a": [1, 2]}\'', { $tag: 'ParseJSON', value: '{"a": [1, 2]}' }],
  ])('%s', (yaml, expected) => {
    expect(attrValue(yaml)).toEqual(expected);
  });

  it('hands the tag the raw text, like PyYAML (no typing of 0, true, null)', () => {
    expect(attrValue('!KeyOf true')).toEqual({ $tag: 'KeyOf', value: 'true' });
    expect(attrValue('!KeyOf null')).toEqual({ $tag: 'KeyOf', value: 'null' });
    expect(attrValue('!KeyOf')).toEqual({ $tag: 'KeyOf', value: '' });
  });

  it('writes scalar tags unquoted when the text allows it', () => {
    expect(written('!KeyOf flow')).toBe('x: !KeyOf flow');
    expect(written('!Index 0')).toBe('x: !Index 0');
    expect(written('!KeyOf "true"')).toBe('x: !KeyOf true');
    expect(written('!KeyOf "a: b"')).toBe('x: !KeyOf "a: b"');
  });
});

describe('sequence-form tags', () => {
  it.each([
    [
      '!Find [authentik_flows.flow, [slug, x]]',
      { $tag: 'Find', args: ['authentik_flows.flow', ['slug', 'x']] },
    ],
    [
      '!FindObject [authentik_flows.flow, [slug, x], [pk__isnull, false]]',
      { $tag: 'FindObject', args: ['authentik_flows.flow', ['slug', 'x'], ['pk__isnull', false]] },
    ],
    ['!Context [foo, default-value]', { $tag: 'Context', args: ['foo', 'default-value'] }],
    ['!Env [NAME, 10]', { $tag: 'Env', args: ['NAME', 10] }],
    ['!File [/path, null]', { $tag: 'File', args: ['/path', null] }],
    ['!Format ["my-policy-%s", inst]', { $tag: 'Format', args: ['my-policy-%s', 'inst'] }],
    ['!If [true]', { $tag: 'If', args: [true] }],
    ['!If [yes, {a: 1}, [b]]', { $tag: 'If', args: [true, { a: 1 }, ['b']] }],
    ['!Condition [AND, true, text, 2]', { $tag: 'Condition', args: ['AND', true, 'text', 2] }],
    ['!Enumerate [[a, b], SEQ, x]', { $tag: 'Enumerate', args: [['a', 'b'], 'SEQ', 'x'] }],
    ['!AtIndex [[first, second], 0]', { $tag: 'AtIndex', args: [['first', 'second'], 0] }],
    [
      '!AtIndex [{foo: bar}, foo, default]',
      { $tag: 'AtIndex', args: [{ foo: 'bar' }, 'foo', 'default'] },
    ],
  ])('%s', (yaml, expected) => {
    expect(attrValue(yaml)).toEqual(expected);
  });

  it('nests tags inside tags, several levels deep', () => {
    const value = attrValue(
      '!Enumerate [!Context map, SEQ, !Find [!Format ["authentik_stages_authenticator_%s.authenticator%sstage", !Index 0, !Index 0], [name, !Value 0]]]',
    );
    expect(value).toEqual({
      $tag: 'Enumerate',
      args: [
        { $tag: 'Context', value: 'map' },
        'SEQ',
        {
          $tag: 'Find',
          args: [
            {
              $tag: 'Format',
              args: [
                'authentik_stages_authenticator_%s.authenticator%sstage',
                { $tag: 'Index', value: '0' },
                { $tag: 'Index', value: '0' },
              ],
            },
            ['name', { $tag: 'Value', value: '0' }],
          ],
        },
      ],
    });
  });

  it('accepts the block form of a sequence tag', () => {
    expect(attrValue('!Find\n        - authentik_flows.flow\n        - [slug, x]')).toEqual({
      $tag: 'Find',
      args: ['authentik_flows.flow', ['slug', 'x']],
    });
  });

  it('writes sequence tags in flow style, exactly', () => {
    expect(written('!Find [authentik_flows.flow, [slug, x]]')).toBe(
      'x: !Find [authentik_flows.flow, [slug, x]]',
    );
    expect(written('!If [!Condition [OR, !Context a], {k: v}, [1, "2"]]')).toBe(
      'x: !If [!Condition [OR, !Context a], {k: v}, [1, "2"]]',
    );
    expect(written('!Format ["%s: x", !Env [A, "yes"]]')).toBe(
      'x: !Format ["%s: x", !Env [A, "yes"]]',
    );
  });

  it('round-trips nested tags exactly', () => {
    const text = blueprint(
      '  - model: !Format ["%s.%s", !Context app, !Context model]\n    state: !If [!Context delete, absent, present]\n    conditions:\n      - !Condition [XOR, !Find [a.b, [pk, 1]], !AtIndex [[1], 0, null]]\n    identifiers:\n      name: !Enumerate [!Context items, MAP, [!Index 0, !Value 0]]\n',
    );
    const document = parseOk(text);
    expect(stripSource(parseOk(serializeBlueprintDocument(document)))).toEqual(
      stripSource(document),
    );
  });

  it('warns about arguments authentik ignores', () => {
    const result = parseBlueprintDocument(
      blueprint('  - model: a.b\n    attrs:\n      x: !Context [a, b, c]\n'),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.code)).toEqual(['ignored-tag-args']);
  });
});

describe('tag errors', () => {
  it('names an unknown tag with its line and column', () => {
    const error = attrError('!Foo bar');
    expect(error.code).toBe('unknown-tag');
    expect(error.position).toMatchObject({ line: 5, column: 10 });
    expect(error.message).toContain('!Foo');
    expect(error.message).toContain('5:10');
    expect(error.path).toEqual(['entries', 0, 'attrs', 'x']);
  });

  it('reports unknown tags on sequences and mappings, and nested inside tags', () => {
    expect(attrError('!Bar [a]').code).toBe('unknown-tag');
    expect(attrError('!Bar {a: b}').code).toBe('unknown-tag');
    const nested = attrError('!Find [a.b, [slug, !Nope x]]');
    expect(nested.code).toBe('unknown-tag');
    expect(nested.position).toMatchObject({ line: 5, column: 29 });
  });

  it.each([
    ['!!binary aGVsbG8=', 'unknown-tag'],
    ['!!set {a, b}', 'unknown-tag'],
    ['!!omap [a: 1]', 'unknown-tag'],
    ['!!python/name:os.system x', 'unknown-tag'],
    ['! x', 'unknown-tag'],
    ['!KeyOf [a]', 'invalid-tag'],
    ['!KeyOf {a: b}', 'invalid-tag'],
    ['!Find x', 'invalid-tag'],
    ['!Find []', 'invalid-tag'],
    ['!Find [a.b, slug]', 'invalid-tag'],
    ['!Format x', 'invalid-tag'],
    ['!Context [only-key]', 'invalid-tag'],
    ['!If [a, b]', 'invalid-tag'],
    ['!Enumerate [a, SEQ]', 'invalid-tag'],
    ['!AtIndex [a]', 'invalid-tag'],
    ['!Index x', 'invalid-tag'],
    ['!Condition []', 'invalid-tag'],
  ])('%s → %s', (yaml, code) => {
    expect(attrError(yaml).code).toBe(code);
  });

  it('accepts what Python int() accepts for !Index and !Value', () => {
    expect(attrValue('!Index " 1_0 "')).toEqual({ $tag: 'Index', value: ' 1_0 ' });
    expect(attrValue('!Value -1')).toEqual({ $tag: 'Value', value: '-1' });
  });

  it('refuses a mapping that looks exactly like a tag node', () => {
    expect(attrError('{$tag: KeyOf, value: flow}').code).toBe('reserved-key');
    // Not tag-shaped: fine.
    expect(attrValue('{$tag: KeyOf, value: flow, other: 1}')).toEqual({
      $tag: 'KeyOf',
      value: 'flow',
      other: 1,
    });
    expect(isTagNode(attrValue('{$tag: KeyOf, value: flow, other: 1}'))).toBe(false);
  });
});
