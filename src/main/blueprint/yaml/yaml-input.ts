import { YAMLSeq, type CollectionTag, type ScalarTag, type Tags } from 'yaml';
import { acceptsScalar, acceptsSequence } from './tags';
import { TAG_NAMES } from './types';

/*
 * authentik's tags, declared to the `yaml` composer only so it does not raise (and format) a
 * "tag not resolved" warning per tagged node, which costs milliseconds each on large files.
 * They change nothing: scalars stay text, sequences stay sequences, and compose.ts builds the
 * tag nodes. A tag on the wrong kind of node stays unresolved and is reported there.
 */
const scalarForms: ScalarTag[] = TAG_NAMES.filter(acceptsScalar).map((name) => ({
  tag: `!${name}`,
  resolve: (text: string) => text,
}));

const sequenceForms: CollectionTag[] = TAG_NAMES.filter(acceptsSequence).map((name) => ({
  tag: `!${name}`,
  collection: 'seq',
  nodeClass: YAMLSeq,
  resolve: (seq) => seq,
}));

export function inputTags(base: Tags): Tags {
  return [...base, ...scalarForms, ...sequenceForms];
}
