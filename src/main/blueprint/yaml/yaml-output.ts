import { isScalar, type Node, type ScalarTag, type Tags } from 'yaml';
import { stringTag, stringifyString } from 'yaml/util';
import { PYYAML_NON_STRING } from './pyyaml-scalars';
import { TAG_NAMES, type TagName } from './types';
import { acceptsScalar } from './tags';

/*
 * The schema the serializer writes with: YAML 1.2 core, plus rules so that authentik's PyYAML
 * loader reads back exactly the values written.
 */

/**
 * Numbers PyYAML reads back as the same number: PyYAML's float regex needs a dot, so `1e+21`
 * would be a string there; it becomes `1.0e+21`. -0 stays a float (`-0.0`).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Number.POSITIVE_INFINITY) return '.inf';
  if (value === Number.NEGATIVE_INFINITY) return '-.inf';
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  const exponent = text.indexOf('e');
  if (exponent === -1 || text.slice(0, exponent).includes('.')) return text;
  return `${text.slice(0, exponent)}.0${text.slice(exponent)}`;
}

/**
 * Characters that must be escaped in a double-quoted scalar: what PyYAML refuses raw (controls,
 * lone surrogates, U+FFFE/F), what it reads as line breaks (U+0085, U+2028/9), CR and BOM, and
 * tabs, which PyYAML refuses in plain scalars.
 */
const NEEDS_ESCAPE =
  /[^\n\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]/u;

const SHORT_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\0': '\\0',
};

function hexEscape(codePoint: number): string {
  if (codePoint <= 0xff) return `\\x${codePoint.toString(16).toUpperCase().padStart(2, '0')}`;
  if (codePoint <= 0xffff) return `\\u${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\U${codePoint.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** One-line double-quoted scalar with every risky character escaped. */
export function doubleQuote(value: string): string {
  let out = '"';
  for (const char of value) {
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (NEEDS_ESCAPE.test(char)) out += hexEscape(char.codePointAt(0) ?? 0);
    else out += char;
  }
  return `${out}"`;
}

interface OutputContext {
  implicitKey?: boolean;
  inFlow?: boolean | null;
}

function mustDoubleQuote(value: string, ctx: OutputContext): boolean {
  if (NEEDS_ESCAPE.test(value)) return true;
  // Multi-line text is a block literal where possible; keys and flow collections cannot hold
  // one, and a block literal cannot end in spaces or consist of whitespace only.
  return (
    value.includes('\n') &&
    (ctx.implicitKey === true || ctx.inFlow === true || /\n[\t ]+$|^\s*$/.test(value))
  );
}

/**
 * Whether PyYAML's scanner reads `value` back as one plain scalar. PyYAML (YAML 1.1) is
 * stricter than the `yaml` package here, most of all inside flow collections (tag arguments),
 * where it ends a plain scalar at any of `,?[]{}` and refuses one starting with `?` or `:`.
 * Conservative on purpose: anything doubtful is quoted.
 */
function isPlainSafe(value: string, ctx: OutputContext): boolean {
  if (value === '' || value.includes('\n')) return true; // left to the `yaml` package
  if (/^[\s?:,[\]{}#&*!|>'"%@`]|^-(?:\s|$)|^(?:---|\.\.\.)|\s$/.test(value)) return false;
  if (/:\s|:$|\s#/.test(value)) return false;
  if ((ctx.inFlow === true || ctx.implicitKey === true) && /[,?[\]{}:]/.test(value)) return false;
  return true;
}

const numberTag: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  // Never matches text: present only so the `yaml` package prefers this tag for numbers.
  test: /(?!)/,
  resolve: (text) => Number(text),
  stringify: (item) => formatNumber(Number(item.value)),
};

const outputStringTag: ScalarTag = {
  ...stringTag,
  stringify(item, ctx, onComment, onChompKeep) {
    const value = String(item.value);
    if (mustDoubleQuote(value, ctx) || !isPlainSafe(value, ctx)) return doubleQuote(value);
    return stringTag.stringify?.(item, ctx, onComment, onChompKeep) ?? doubleQuote(value);
  },
};

/** Makes the `yaml` package quote every string PyYAML would read as something else. */
const pyyamlImplicitTag: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:flowbench.local,2025:pyyaml-implicit',
  test: PYYAML_NON_STRING,
  resolve: (text) => text,
};

/** `!KeyOf flow`, not `!KeyOf "flow"`: with the tag explicit, the text is never retyped. */
function authentikScalarTag(name: TagName): ScalarTag {
  return {
    tag: `!${name}`,
    resolve: (text) => text,
    stringify(item, ctx, onComment, onChompKeep) {
      // `yaml` picks tag objects by name alone, so `!Env [a, b]` lands here too.
      const node: unknown = item;
      if (!isScalar(node)) return (node as Node).toString(ctx, onComment, onChompKeep);
      const value = String(item.value);
      if (mustDoubleQuote(value, ctx) || !isPlainSafe(value, ctx)) return doubleQuote(value);
      return stringifyString(item, { ...ctx, actualString: false }, onComment, onChompKeep);
    },
  };
}

export function outputTags(base: Tags): Tags {
  const scalarTags = TAG_NAMES.filter((name) => acceptsScalar(name)).map(authentikScalarTag);
  return [numberTag, outputStringTag, pyyamlImplicitTag, ...base, ...scalarTags];
}
