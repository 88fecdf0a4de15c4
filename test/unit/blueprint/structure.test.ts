import { describe, expect, it } from 'vitest';
import {
  describeEntry,
  entryFieldPosition,
  formatPath,
  parseBlueprintDocument,
  serializeBlueprintDocument,
  stripSource,
  type BlueprintDocument,
} from '../../../src/main/blueprint/yaml';
import { blueprint, parseError, parseOk } from './fixtures';

const SECTIONED = `version: 1
metadata:
  name: Sectioned
entries:
  flows:
    - model: authentik_flows.flow
      id: flow
      identifiers:
        slug: lockdown
  empty: []
  bindings:
    - model: authentik_flows.flowstagebinding
      identifiers:
        target: !KeyOf flow
        order: 10
    - model: authentik_flows.flowstagebinding
      identifiers:
        target: !KeyOf flow
        order: 20
`;

describe('entries as a list or as sections', () => {
  it('reads a list and remembers it was one', () => {
    const document = parseOk(blueprint('  - model: a.b\n  - model: c.d\n'));
    expect(document.sections).toBeUndefined();
    expect(document.entries.map((e) => e.model)).toEqual(['a.b', 'c.d']);
    expect(document.entries[0]?.section).toBeUndefined();
  });

  it('reads a map of sections, flattened in order, remembering names (empty ones too)', () => {
    const document = parseOk(SECTIONED);
    expect(document.sections).toEqual(['flows', 'empty', 'bindings']);
    expect(document.entries.map((e) => [e.section, e.model])).toEqual([
      ['flows', 'authentik_flows.flow'],
      ['bindings', 'authentik_flows.flowstagebinding'],
      ['bindings', 'authentik_flows.flowstagebinding'],
    ]);
  });

  it('writes sections back as sections', () => {
    const document = parseOk(SECTIONED);
    const written = serializeBlueprintDocument(document);
    expect(written).toContain('entries:\n  flows:\n    - model: authentik_flows.flow');
    expect(written).toContain('  empty: []\n  bindings:\n');
    expect(stripSource(parseOk(written))).toEqual(stripSource(document));
  });

  it('writes a list back as a list', () => {
    const written = serializeBlueprintDocument(parseOk(blueprint('  - model: a.b\n')));
    expect(written).toBe('version: 1\nentries:\n  - model: a.b\n');
  });

  it('groups entries by section when entries were reordered or added', () => {
    const document = parseOk(SECTIONED);
    const [flow, first, second] = document.entries;
    const added = { model: 'authentik_flows.flow', section: 'flows' };
    const reordered: BlueprintDocument = {
      ...document,
      entries: [second!, added, first!, flow!, { model: 'x.y' }],
    };
    const again = parseOk(serializeBlueprintDocument(reordered));
    expect(again.sections).toEqual(['flows', 'empty', 'bindings']);
    expect(again.entries.map((e) => `${e.section}:${String(e.model)}`)).toEqual([
      'flows:authentik_flows.flow',
      'flows:authentik_flows.flow',
      'bindings:authentik_flows.flowstagebinding',
      'bindings:authentik_flows.flowstagebinding',
      // An entry without a section lands in the last one.
      'bindings:x.y',
    ]);
  });

  it('refuses a section that is not a list', () => {
    const error = parseError('version: 1\nentries:\n  flows:\n    model: a.b\n');
    expect(error.code).toBe('invalid-structure');
    expect(error.path).toEqual(['entries', 'flows']);
  });
});

describe('document shape', () => {
  it('keeps metadata, context, unknown keys and key order', () => {
    const text = `# top\nmetadata:\n  name: X\n  labels:\n    blueprints.goauthentik.io/instantiate: "false"\n  custom: 1\ncontext:\n  foo: bar\nversion: 1\nentries:\n  - attrs: {a: 1}\n    identifiers: {slug: s}\n    model: a.b\n    future_key: kept\nx-notes: hello\n`;
    const document = parseOk(text);
    expect(document.keyOrder).toEqual(['metadata', 'context', 'version', 'entries', 'x-notes']);
    expect(document.metadata).toEqual({
      name: 'X',
      labels: { 'blueprints.goauthentik.io/instantiate': 'false' },
      custom: 1,
    });
    expect(document.context).toEqual({ foo: 'bar' });
    expect(document.extra).toEqual({ 'x-notes': 'hello' });
    const entry = document.entries[0]!;
    expect(entry.keyOrder).toEqual(['attrs', 'identifiers', 'model', 'future_key']);
    expect(entry.extra).toEqual({ future_key: 'kept' });
    const written = serializeBlueprintDocument(document);
    expect(written).toBe(
      '# top\nmetadata:\n  name: X\n  labels:\n    blueprints.goauthentik.io/instantiate: "false"\n  custom: 1\ncontext:\n  foo: bar\nversion: 1\nentries:\n  - attrs:\n      a: 1\n    identifiers:\n      slug: s\n    model: a.b\n    future_key: kept\nx-notes: hello\n',
    );
  });

  it('writes fields in authentik order when no order was recorded', () => {
    const document: BlueprintDocument = {
      version: 1,
      entries: [
        {
          attrs: { name: 'n' },
          identifiers: { slug: 's' },
          model: 'authentik_flows.flow',
          id: 'flow',
          state: 'present',
        },
      ],
    };
    expect(serializeBlueprintDocument(document)).toBe(
      'version: 1\nentries:\n  - model: authentik_flows.flow\n    state: present\n    id: flow\n    identifiers:\n      slug: s\n    attrs:\n      name: n\n',
    );
  });

  it('reads all entry fields with their types', () => {
    const document = parseOk(
      blueprint(
        '  - model: a.b\n    state: must_created\n    id: x\n    conditions: [true, !Context c]\n    identifiers: {pk: 1}\n    attrs: null\n    permissions:\n      - permission: inspect_flow\n        user: 5\n      - permission: view_flow\n        role: !KeyOf role\n',
      ),
    );
    expect(stripSource(document).entries[0]).toEqual({
      model: 'a.b',
      state: 'must_created',
      id: 'x',
      conditions: [true, { $tag: 'Context', value: 'c' }],
      identifiers: { pk: 1 },
      attrs: null,
      permissions: [
        { permission: 'inspect_flow', user: 5 },
        { permission: 'view_flow', role: { $tag: 'KeyOf', value: 'role' } },
      ],
      keyOrder: ['model', 'state', 'id', 'conditions', 'identifiers', 'attrs', 'permissions'],
    });
  });
});

describe('structural errors', () => {
  it.each([
    ['version: 2\nentries: []\n', 'invalid-version'],
    ['version: "1"\nentries: []\n', 'invalid-version'],
    ['entries: []\n', 'invalid-version'],
    ['version: 1\n', 'invalid-structure'],
    ['version: 1\nentries: 5\n', 'invalid-structure'],
    ['- a\n- b\n', 'invalid-structure'],
    ['', 'invalid-structure'],
    ['# only a comment\n', 'invalid-structure'],
    ['version: 1\nentries: []\nmetadata:\n  labels: {}\n', 'invalid-structure'],
    [
      'version: 1\nentries: []\nmetadata:\n  name: x\n  labels:\n    instantiate: false\n',
      'invalid-structure',
    ],
    ['version: 1\nentries: []\ncontext: [a]\n', 'invalid-structure'],
    ['version: 1\nentries:\n  - attrs: {}\n', 'invalid-structure'],
    ['version: 1\nentries:\n  - just-a-string\n', 'invalid-structure'],
    ['version: 1\nentries:\n  - model: a.b\n    state: gone\n', 'invalid-structure'],
    ['version: 1\nentries:\n  - model: a.b\n    identifiers: [a]\n', 'invalid-structure'],
    ['version: 1\nentries:\n  - model: a.b\n    identifiers:\n', 'invalid-structure'],
    ['version: 1\nentries:\n  - model: a.b\n    conditions: yes\n', 'invalid-structure'],
    ['version: 1\nentries:\n  - model: a.b\n    id: 5\n', 'invalid-structure'],
    [
      'version: 1\nentries:\n  - model: a.b\n    permissions:\n      - user: 1\n',
      'invalid-structure',
    ],
    ['version: 1\nentries:\n  - model: [a]\n', 'invalid-structure'],
  ])('%j → %s', (text, code) => {
    expect(parseError(text).code).toBe(code);
  });

  it('says "Invalid blueprint version" with the position of `version`', () => {
    const error = parseError('metadata:\n  name: x\nversion: 2\nentries: []\n');
    expect(error.message).toContain('Invalid blueprint version');
    expect(error.position).toMatchObject({ line: 3, column: 1 });
  });

  it('names the entry, the field and the line of a bad field', () => {
    const text = blueprint(
      '  - model: authentik_flows.flow\n    identifiers:\n      slug: one\n  - model: authentik_flows.flow\n    identifiers:\n      slug: x\n    attrs:\n      - designation\n',
    );
    const error = parseError(text);
    expect(error.code).toBe('invalid-structure');
    expect(error.entryIndex).toBe(1);
    expect(error.path).toEqual(['entries', 1, 'attrs']);
    expect(error.position).toMatchObject({ line: 9, column: 5 });
    expect(error.message).toBe(
      'entry 2 (authentik_flows.flow slug=x): `attrs` must be a mapping (at 9:5)',
    );
  });

  it('says which field is missing', () => {
    const error = parseError(blueprint('  - identifiers: {slug: x}\n'));
    expect(error.message).toContain('`model` is required');
    expect(error.entryIndex).toBe(0);
    expect(error.position).toMatchObject({ line: 3, column: 5 });
  });
});

describe('source positions', () => {
  const text = blueprint(
    '  - model: authentik_flows.flow\n    identifiers:\n      slug: x\n    attrs:\n      designation: authentication\n      layout: stacked\n    conditions:\n      - true\n',
  );

  it('records each entry and its fields', () => {
    const entry = parseOk(text).entries[0]!;
    expect(entry.source?.position).toMatchObject({ line: 3, column: 5 });
    expect(entryFieldPosition(entry, ['attrs', 'designation'])).toMatchObject({
      line: 7,
      column: 7,
    });
    expect(entryFieldPosition(entry, ['conditions', 0])).toMatchObject({ line: 10, column: 9 });
    expect(entryFieldPosition(entry, [])).toMatchObject({ line: 3, column: 5 });
  });

  it('lets a later layer phrase an error with entry, field and line', () => {
    const document = parseOk(text);
    const entry = document.entries[0]!;
    const path = ['attrs', 'designation'];
    const at = entryFieldPosition(entry, path);
    const message = `${describeEntry(entry, 0)}, ${formatPath(path)}, line ${at?.line}:${at?.column}`;
    expect(message).toBe('entry 1 (authentik_flows.flow slug=x), attrs.designation, line 7:7');
  });

  it('formats paths with odd keys', () => {
    expect(formatPath(['metadata', 'labels', 'blueprints.goauthentik.io/instantiate'])).toBe(
      'metadata.labels["blueprints.goauthentik.io/instantiate"]',
    );
    expect(formatPath(['entries', 3, 'attrs'])).toBe('entries[3].attrs');
  });

  it('can be switched off', () => {
    const document = parseOk(text, { positions: false });
    expect(document.source).toBeUndefined();
    expect(document.entries[0]?.source).toBeUndefined();
  });
});

describe('comments', () => {
  const text = `# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json
version: 1 # always 1
metadata:
  # the name shown in the UI
  name: Commented
entries:
  # flows first
  - model: authentik_flows.flow # the flow
    identifiers:
      slug: x

    # attributes after a blank line
    attrs:
      title: Hello # shown on top
  - model: a.b
# the end
`;

  it('keeps comments and blank lines through a round trip', () => {
    const written = serializeBlueprintDocument(parseOk(text));
    // The `yaml` package always sets the comment after the document off by a blank line.
    expect(written).toBe(text.replace('\n# the end', '\n\n# the end'));
    expect(serializeBlueprintDocument(parseOk(written))).toBe(written);
    expect(stripSource(parseOk(written))).toEqual(stripSource(parseOk(text)));
  });

  it('keeps comments with their entry when entries move', () => {
    const document = parseOk(text);
    const swapped = { ...document, entries: [document.entries[1]!, document.entries[0]!] };
    const written = serializeBlueprintDocument(swapped);
    expect(written).toContain('  - model: a.b\n  - model: authentik_flows.flow # the flow\n');
    expect(written).toContain('      title: Hello # shown on top\n');
  });

  it('can leave comments out, on either side', () => {
    expect(serializeBlueprintDocument(parseOk(text), { comments: false })).not.toContain('#');
    expect(serializeBlueprintDocument(parseOk(text, { comments: false }))).not.toContain('#');
  });

  it('parses comments everywhere without trouble', () => {
    const result = parseBlueprintDocument(
      'version: 1 #a\n#b\nentries: #c\n#d\n  - model: a.b #e\n    #f\n    attrs: {x: [1, #g\n      2]} #h\n#i\n',
    );
    expect(result.ok).toBe(true);
  });
});
