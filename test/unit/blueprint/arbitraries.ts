import fc from 'fast-check';
import {
  DOCUMENT_FIELDS,
  ENTRY_FIELDS,
  ENTRY_STATES,
  isTagNode,
  type BlueprintDocument,
  type BlueprintEntry,
  type BlueprintMapping,
  type BlueprintPermission,
  type BlueprintValue,
  type ScalarFormTagName,
  type SequenceFormTagName,
  type TagNode,
} from '../../../src/main/blueprint/yaml';

/** Mappings built the way the parser builds them: null prototype, any key. */
function mappingOf(pairs: readonly (readonly [string, BlueprintValue])[]): BlueprintMapping {
  const mapping = Object.create(null) as BlueprintMapping;
  for (const [key, value] of pairs) mapping[key] = value;
  return mapping;
}

/** Strings YAML and PyYAML like to read as something else. */
const trickyStrings = fc.constantFrom(
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'True',
  '~',
  'null',
  '',
  ' ',
  '=',
  '<<',
  '0755',
  '0o17',
  '09',
  '1:30',
  '1e5',
  '1.0e+5',
  '.inf',
  '.nan',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '- a',
  '-',
  '? x',
  '#x',
  'a #b',
  'a: b',
  ': ',
  '"',
  "'",
  '---',
  '...',
  '|',
  '>',
  '!KeyOf x',
  '&a',
  '*a',
  '%YAML',
  '@x',
  '`x',
  '[a]',
  '{a}',
  'a,b',
  'tab\there',
  'cr\rlf',
  'x\u2028y',
  '\u0085',
  '\uFEFFbom',
  'nul\u0000',
  'bell\u0007',
  '\uD800lone',
  'emoji 😀',
  'trailing ',
  ' leading',
);

const multiLine = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('', '  indented', '\tx', '# not a comment', '- item', 'key: v '),
    ),
    {
      minLength: 2,
      maxLength: 5,
    },
  )
  .map((lines) => lines.join('\n'));

export const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: trickyStrings },
  { weight: 1, arbitrary: multiLine },
);

export const anyKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: trickyStrings },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', '$tag', 'value', 'args'),
  },
);

const anyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    1e21,
    1e-7,
    5e-324,
    Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
);

const SCALAR_TAGS: readonly ScalarFormTagName[] = [
  'KeyOf',
  'Context',
  'Env',
  'File',
  'Index',
  'Value',
  'ParseJSON',
];

function tagArbitrary(value: fc.Arbitrary<BlueprintValue>): fc.Arbitrary<TagNode> {
  const list = fc.array(value, { maxLength: 3 });
  const sequence = (
    name: SequenceFormTagName,
    args: fc.Arbitrary<BlueprintValue[]>,
  ): fc.Arbitrary<TagNode> => args.map((a) => ({ $tag: name, args: a }));
  return fc.oneof(
    fc
      .constantFrom(...SCALAR_TAGS)
      .chain((name) =>
        (name === 'Index' || name === 'Value' ? fc.nat().map(String) : anyString).map(
          (text): TagNode => ({ $tag: name, value: text }),
        ),
      ),
    sequence(
      'Find',
      fc
        .tuple(fc.oneof(anyString, value), fc.array(list, { maxLength: 2 }))
        .map(([m, q]) => [m, ...q]),
    ),
    sequence(
      'FindObject',
      fc.tuple(anyString, fc.array(list, { maxLength: 2 })).map(([m, q]) => [m, ...q]),
    ),
    sequence('Format', fc.array(value, { minLength: 1, maxLength: 3 })),
    sequence('Condition', fc.array(value, { minLength: 1, maxLength: 3 })),
    sequence(
      'If',
      fc.oneof(
        fc.array(value, { minLength: 1, maxLength: 1 }),
        fc.array(value, { minLength: 3, maxLength: 3 }),
      ),
    ),
    sequence('Enumerate', fc.array(value, { minLength: 3, maxLength: 3 })),
    sequence('AtIndex', fc.array(value, { minLength: 2, maxLength: 3 })),
    fc
      .constantFrom<SequenceFormTagName>('Context', 'Env', 'File')
      .chain((name) => sequence(name, fc.array(value, { minLength: 2, maxLength: 2 }))),
  );
}

export const anyValue: fc.Arbitrary<BlueprintValue> = fc.letrec<{ value: BlueprintValue }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      anyNumber,
      anyString,
      fc.array(tie('value'), { maxLength: 3 }),
      anyMapping(tie('value')),
      tagArbitrary(tie('value')),
    ),
  }),
).value;

export function anyMapping(
  value: fc.Arbitrary<BlueprintValue>,
  maxKeys = 3,
): fc.Arbitrary<BlueprintMapping> {
  return fc
    .uniqueArray(fc.tuple(anyKey, value), { maxLength: maxKeys, selector: ([key]) => key })
    .map(mappingOf)
    .filter((mapping) => !isTagNode(mapping));
}

const modelName = fc.oneof(
  fc.constantFrom(
    'authentik_flows.flow',
    'authentik_flows.flowstagebinding',
    'authentik_stages_prompt.prompt',
  ),
  anyString,
);

const permission = fc
  .record(
    {
      permission: fc.oneof(anyString, tagArbitrary(anyValue)),
      user: fc.oneof(fc.integer(), fc.constant(null)),
      role: fc.oneof(anyString, fc.constant(null)),
    },
    { requiredKeys: ['permission'] },
  )
  .map(
    (record) =>
      mappingOf(
        Object.entries(record) as [string, BlueprintValue][],
      ) as unknown as BlueprintPermission,
  );

const entryExtra = anyMapping(anyValue).map((mapping) => {
  for (const field of ENTRY_FIELDS) delete mapping[field];
  return mapping;
});

/** An entry as the parser would return it for its own serialization (no positions). */
export const anyEntry: fc.Arbitrary<BlueprintEntry> = fc
  .record(
    {
      model: fc.oneof(
        { weight: 4, arbitrary: modelName },
        { weight: 1, arbitrary: tagArbitrary(anyValue) },
      ),
      state: fc.oneof(fc.constantFrom(...ENTRY_STATES), tagArbitrary(anyValue)),
      conditions: fc.array(anyValue, { maxLength: 2 }),
      identifiers: anyMapping(anyValue),
      attrs: fc.oneof(anyMapping(anyValue, 5), fc.constant(null)),
      id: fc.oneof(anyString, fc.constant(null)),
      permissions: fc.array(permission, { maxLength: 2 }),
      extra: entryExtra,
    },
    { requiredKeys: ['model'] },
  )
  .chain((raw) => {
    const entry: BlueprintEntry = { ...raw };
    if (entry.extra && Object.keys(entry.extra).length === 0) delete entry.extra;
    const keys = [
      ...ENTRY_FIELDS.filter((field) => entry[field] !== undefined),
      ...Object.keys(entry.extra ?? {}),
    ];
    return fc
      .shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length })
      .map((keyOrder) => ({ ...entry, keyOrder }));
  });

const sectionName = anyKey;

/** A whole document, entries either as a list or as named sections. */
export const anyDocument: fc.Arbitrary<BlueprintDocument> = fc
  .record(
    {
      metadata: fc.record(
        {
          name: anyString,
          labels: fc
            .uniqueArray(fc.tuple(anyKey, anyString), { maxLength: 2, selector: ([k]) => k })
            .map(mappingOf),
        },
        { requiredKeys: ['name'] },
      ),
      context: anyMapping(anyValue),
      extra: anyMapping(anyValue).map((mapping) => {
        for (const field of DOCUMENT_FIELDS) delete mapping[field];
        return mapping;
      }),
      body: fc.oneof(
        fc
          .array(anyEntry, { maxLength: 3 })
          .map((entries) => ({ entries, sections: undefined as string[] | undefined })),
        fc
          .uniqueArray(fc.tuple(sectionName, fc.array(anyEntry, { maxLength: 2 })), {
            maxLength: 3,
            selector: ([name]) => name,
          })
          .map((sections) => ({
            sections: sections.map(([name]) => name),
            entries: sections.flatMap(([name, entries]) =>
              entries.map((entry) => ({ ...entry, section: name })),
            ),
          })),
      ),
    },
    { requiredKeys: ['body'] },
  )
  .chain(({ body, extra, metadata, context }) => {
    const document: BlueprintDocument = { version: 1, entries: body.entries };
    if (body.sections) document.sections = body.sections;
    if (metadata)
      document.metadata = mappingOf(Object.entries(metadata)) as BlueprintDocument['metadata'];
    if (context) document.context = context;
    if (extra && Object.keys(extra).length > 0) document.extra = extra;
    const keys = [
      ...DOCUMENT_FIELDS.filter(
        (field) => field === 'version' || field === 'entries' || document[field] !== undefined,
      ),
      ...Object.keys(document.extra ?? {}),
    ];
    return fc
      .shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length })
      .map((keyOrder) => ({ ...document, keyOrder }));
  });
