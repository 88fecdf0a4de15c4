import {
  TAG_NAMES,
  type BlueprintValue,
  type ScalarFormTagName,
  type SequenceFormTagName,
  type TagName,
  type TagNode,
} from './types';

/**
 * What authentik's tag constructors accept when the file is *loaded*. A tag that would fail
 * only when it is *resolved* (say `!Find` with a one-element query) is kept: authentik applies
 * such a file as long as the entry is skipped by its conditions or the `!If` branch is not taken.
 */
interface TagSpec {
  /** Accepts a scalar node; PyYAML passes the raw text (`node.value`), never a typed value. */
  scalar: boolean;
  /** Accepts a sequence node with at least `min` items; items past `max` are ignored. */
  sequence?: { min: number; max?: number };
}

const TAG_SPECS: Record<TagName, TagSpec> = {
  KeyOf: { scalar: true },
  Context: { scalar: true, sequence: { min: 2, max: 2 } },
  Env: { scalar: true, sequence: { min: 2, max: 2 } },
  File: { scalar: true, sequence: { min: 2, max: 2 } },
  ParseJSON: { scalar: true },
  Index: { scalar: true },
  Value: { scalar: true },
  Find: { scalar: false, sequence: { min: 1 } },
  FindObject: { scalar: false, sequence: { min: 1 } },
  Format: { scalar: false, sequence: { min: 1 } },
  Condition: { scalar: false, sequence: { min: 1 } },
  If: { scalar: false, sequence: { min: 1, max: 3 } },
  Enumerate: { scalar: false, sequence: { min: 3, max: 3 } },
  AtIndex: { scalar: false, sequence: { min: 2, max: 3 } },
};

const TAG_NAME_SET: ReadonlySet<string> = new Set(TAG_NAMES);

export function isTagName(name: string): name is TagName {
  return TAG_NAME_SET.has(name);
}

/** `'!KeyOf'` → `'KeyOf'`; anything else (other tags, `%TAG` handles) → undefined. */
export function tagNameFromYaml(tag: string): TagName | undefined {
  if (!tag.startsWith('!') || tag.startsWith('!!')) return undefined;
  const name = tag.slice(1);
  return isTagName(name) ? name : undefined;
}

export function yamlTagOf(name: TagName): string {
  return `!${name}`;
}

export function acceptsScalar(name: TagName): name is ScalarFormTagName {
  return TAG_SPECS[name].scalar;
}

export function acceptsSequence(name: TagName): name is SequenceFormTagName {
  return TAG_SPECS[name].sequence !== undefined;
}

/** Python's `int()` on the raw text, which `!Index` and `!Value` call while loading. */
const PYTHON_INT_TEXT = /^\s*[+-]?\p{Nd}+(?:_\p{Nd}+)*\s*$/u;

/** Load-time check of a scalar-form tag's text; returns a reason when authentik would refuse it. */
export function checkScalarTag(name: ScalarFormTagName, value: string): string | undefined {
  if ((name === 'Index' || name === 'Value') && !PYTHON_INT_TEXT.test(value)) {
    return `!${name} takes an integer depth, got "${value}"`;
  }
  return undefined;
}

export interface SequenceTagCheck {
  /** Why authentik's loader would refuse these arguments. */
  error?: string;
  /** Index of the first argument authentik ignores, if any. */
  ignoredFrom?: number;
}

/** Load-time check of a sequence-form tag's (already converted) arguments. */
export function checkSequenceTag(
  name: SequenceFormTagName,
  args: readonly BlueprintValue[],
): SequenceTagCheck {
  const spec = TAG_SPECS[name].sequence ?? { min: 0 };
  if (args.length < spec.min) {
    return {
      error: `!${name} needs at least ${spec.min} argument${spec.min === 1 ? '' : 's'}, got ${args.length}`,
    };
  }
  // `!If [cond, a]` reads a third item that is not there.
  if (name === 'If' && args.length === 2) {
    return {
      error: '!If takes [condition] or [condition, when_true, when_false], got 2 arguments',
    };
  }
  if (name === 'Find' || name === 'FindObject') {
    // Each query is iterated as a sequence node; a scalar or mapping there crashes the loader.
    const bad = args.findIndex((arg, index) => index > 0 && !Array.isArray(arg));
    if (bad > 0) return { error: `!${name} query ${bad} must be a [field, value] list` };
  }
  if (spec.max !== undefined && args.length > spec.max) return { ignoredFrom: spec.max };
  return {};
}

/**
 * True for a tag node built by the parser or by hand. The shape is exact (only `$tag` plus
 * `value` or `args`), and the parser refuses YAML mappings of that same shape, so the two can
 * never be confused.
 */
export function isTagNode(value: unknown): value is TagNode {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const name = record.$tag;
  // Checked before listing the keys: most values reaching here are mappings without `$tag`.
  if (typeof name !== 'string' || !isTagName(name)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 2) return false;
  if (keys.includes('value')) return acceptsScalar(name) && typeof record.value === 'string';
  if (keys.includes('args')) return acceptsSequence(name) && Array.isArray(record.args);
  return false;
}

export function isMapping(value: unknown): value is Record<string, BlueprintValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isTagNode(value);
}
