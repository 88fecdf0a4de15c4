import { describeTag, isTagNode, type BlueprintValue, type TagNode } from '../yaml';
import {
  MAX_RESOLVE_DEPTH,
  cloneResolved,
  hasOwn,
  isPlainMapping,
  newMapping,
  setOwn,
  toResolved,
  tooDeep,
} from './data';
import {
  isPyFloat,
  pyFloatRepr,
  pyIntString,
  pyRepr,
  pyStr,
  pyTypeName,
  pythonStrip,
  pythonTruthy,
} from './python';
import { PythonFormatError, pythonPercentFormat } from './python-format';
import { PythonJsonError, pythonJsonLoads } from './python-json';
import {
  ResolveError,
  type ResolveErrorCode,
  type ResolveScope,
  type ResolvedValue,
} from './types';

/**
 * Tag resolution as authentik's `BlueprintEntry.tag_resolver` and the tag classes of
 * authentik/blueprints/v1/common.py do it. See README.md for where we knowingly differ.
 *
 * Two ways of reaching a tag matter, as they do in authentik:
 * - walked (`walk`): the value itself, anything inside a mapping or list being walked, the
 *   chosen branch of `!If` and the body of `!Enumerate`. A walked `!Enumerate` becomes the
 *   innermost enumerate context for `!Index`/`!Value`.
 * - direct (`direct`): a tag that is an argument of another tag (`!Format`'s args, `!Find`'s
 *   model and query, `!If`'s condition, …) or a tag stored in the context. authentik calls its
 *   `resolve()` without registering it as an enumerate context, so inside such an
 *   `!Enumerate`, `!Index 0`/`!Value 0` see the enclosing enumerate, not this one.
 */

type Path = ReadonlyArray<string | number>;

/** One enumerate context: the current (index or key, value) pair; undefined before the first. */
interface Frame {
  readonly item: readonly [ResolvedValue, ResolvedValue] | undefined;
}

interface State {
  readonly scope: ResolveScope;
  /** Enumerate contexts, innermost last. Never mutated: each level gets its own array. */
  readonly stack: readonly Frame[];
  readonly depth: number;
  /** `!Context` keys whose stored values are being resolved, outermost first (for messages). */
  readonly contextKeys: readonly string[];
  /** Inside a context value: errors point at the `!Context` tag, not into the stored value. */
  readonly fixedPath: boolean;
}

function fail(code: ResolveErrorCode, message: string, path: Path): never {
  throw new ResolveError(code, message, path);
}

function child(state: State, path: Path, segment: string | number): Path {
  return state.fixedPath ? path : [...path, segment];
}

function cycleText(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const seen = new Set<string>();
  const shown: string[] = [];
  for (const key of keys) {
    shown.push(key);
    if (seen.has(key)) break;
    seen.add(key);
  }
  return ` (through !Context ${shown.join(' → ')})`;
}

function deeper(state: State, path: Path): State {
  if (state.depth + 1 > MAX_RESOLVE_DEPTH) throw tooDeep(path, cycleText(state.contextKeys));
  return { ...state, depth: state.depth + 1 };
}

/** authentik's `tag_resolver`: copies collections, resolves every tag met on the way. */
function walk(value: BlueprintValue | undefined, outer: State, path: Path): ResolvedValue {
  // deeper(outer, path), with the state itself only made for values that go on walking.
  if (outer.depth + 1 > MAX_RESOLVE_DEPTH) throw tooDeep(path, cycleText(outer.contextKeys));
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return value;
    case 'object':
      break;
    default:
      return fail('TAG_BAD_ARGS', `Not blueprint data: a ${typeof value}`, path);
  }
  const state: State = { ...outer, depth: outer.depth + 1 };
  if (Array.isArray(value))
    return value.map((item, index) => walk(item, state, child(state, path, index)));
  if (isTagNode(value)) return evaluate(value, state, path, true);
  const result = newMapping<ResolvedValue>();
  for (const key of Object.keys(value))
    setOwn(result, key, walk(value[key], state, child(state, path, key)));
  return result;
}

/**
 * An argument of a tag: a tag there is resolved directly (not as an enumerate context).
 * authentik leaves tags nested inside a plain list or mapping argument unresolved (Python
 * objects that later fail or print oddly); we resolve them, since resolved data has no tags.
 */
function direct(value: BlueprintValue | undefined, state: State, path: Path): ResolvedValue {
  if (isTagNode(value)) return evaluate(value, deeper(state, path), path, false);
  return walk(value, state, path);
}

/** `bool(x)` of an argument: tags are resolved first; plain collections only count items. */
function truthOf(value: BlueprintValue | undefined, state: State, path: Path): boolean {
  if (isTagNode(value)) return pythonTruthy(evaluate(value, deeper(state, path), path, false));
  return pythonTruthy(value);
}

function evaluate(tag: TagNode, state: State, path: Path, walked: boolean): ResolvedValue {
  switch (tag.$tag) {
    case 'KeyOf':
      return keyOf(tag.value, state, path);
    case 'Find':
    case 'FindObject':
      return find(tag.$tag, tag.args, state, path);
    case 'Context':
      return context(tag, state, path);
    case 'Format':
      return format(tag.args, state, path);
    case 'Env':
    case 'File':
      return envOrFile(tag, state, path);
    case 'If':
      return ifTag(tag.args, state, path);
    case 'Condition':
      return condition(tag.args, state, path);
    case 'Enumerate':
      return enumerate(tag.args, state, path, walked);
    case 'Index':
    case 'Value':
      return enumeratedItem(tag.$tag, tag.value, state, path);
    case 'AtIndex':
      return atIndex(tag.args, state, path);
    case 'ParseJSON':
      return parseJson(tag.value, state, path);
  }
}

/** Calls the scope; a ResolveError it throws without a path gets this tag's path. */
function callScope<T>(call: () => T, path: Path): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof ResolveError && error.path.length === 0 && path.length > 0) {
      throw new ResolveError(error.code, error.message, path);
    }
    throw error;
  }
}

function keyOf(id: string, state: State, path: Path): ResolvedValue {
  const pk = callScope(() => state.scope.keyOf(id), path);
  if (pk === undefined || pk === null) {
    fail(
      'KEYOF_NOT_FOUND',
      `KeyOf: failed to find entry with \`id\` of \`${id}\` and a model instance (!KeyOf only sees entries above it that were applied, not ones skipped by their conditions)`,
      path,
    );
  }
  return pk;
}

function find(
  name: 'Find' | 'FindObject',
  args: readonly BlueprintValue[],
  state: State,
  path: Path,
): ResolvedValue {
  if (args.length === 0)
    fail(
      'FIND_BAD_ARGS',
      `!${name} needs a model, e.g. [authentik_flows.flow, [slug, my-flow]]`,
      path,
    );
  const model = direct(args[0], state, child(state, path, 0));
  if (typeof model !== 'string') {
    fail(
      'FIND_BAD_ARGS',
      `!${name}: the model must be text such as authentik_flows.flow, not ${pyTypeName(model)}`,
      child(state, path, 0),
    );
  }
  const filters: [string, ResolvedValue][] = [];
  args.slice(1).forEach((query, offset) => {
    const index = offset + 1;
    const queryPath = child(state, path, index);
    if (!Array.isArray(query) || query.length < 2) {
      fail('FIND_BAD_ARGS', `!${name}: query ${index} must be a [field, value] list`, queryPath);
    }
    const field = direct(query[0], state, child(state, queryPath, 0));
    if (typeof field !== 'string') {
      fail(
        'FIND_BAD_ARGS',
        `!${name}: the field of query ${index} must be text, not ${pyTypeName(field)}`,
        queryPath,
      );
    }
    // Items past the second are ignored by authentik, tags there included.
    filters.push([field, direct(query[1], state, child(state, queryPath, 1))]);
  });
  if (name === 'Find') {
    const pk = callScope(() => state.scope.find(model, filters), path);
    return pk === undefined ? null : pk;
  }
  const found = callScope(() => state.scope.findObject(model, filters), path);
  if (found === null || found === undefined) return null;
  return callScope(() => toResolved(found), path) ?? null;
}

function context(tag: TagNode, state: State, path: Path): ResolvedValue {
  let key: BlueprintValue;
  let fallback: BlueprintValue = null;
  if ('args' in tag) {
    if (tag.args.length < 2)
      fail('CONTEXT_BAD_ARGS', '!Context takes a key or [key, default]', path);
    key = tag.args[0] ?? null;
    fallback = tag.args[1] ?? null;
  } else key = tag.value;
  if (Array.isArray(key) || isPlainMapping(key)) {
    fail(
      'CONTEXT_BAD_ARGS',
      `!Context: the key must be text, not ${pyTypeName(key)} (unhashable in Python)`,
      path,
    );
  }
  // authentik looks the key up as written: a tag there is not resolved, and a number, bool or
  // null never equals a (text) context key, so those fall back to the default.
  if (typeof key === 'string' && hasOwn(state.scope.context, key)) {
    const stored = state.scope.context[key] ?? null;
    const inner: State = { ...state, contextKeys: [...state.contextKeys, key], fixedPath: true };
    return direct(stored, inner, path);
  }
  return direct(fallback, state, 'args' in tag ? child(state, path, 1) : path);
}

function format(args: readonly BlueprintValue[], state: State, path: Path): ResolvedValue {
  if (args.length === 0) fail('FORMAT_ERROR', '!Format needs a format string', path);
  const values = args
    .slice(1)
    .map((arg, offset) => direct(arg, state, child(state, path, offset + 1)));
  const template = args[0];
  if (typeof template !== 'string') {
    const hint = isTagNode(template)
      ? '; authentik does not resolve a tag in the format string'
      : '';
    fail(
      'FORMAT_ERROR',
      `!Format: unsupported operand type(s) for %: '${pyTypeName(template)}' and 'tuple'${hint}`,
      child(state, path, 0),
    );
  }
  try {
    return pythonPercentFormat(template, values);
  } catch (error) {
    if (error instanceof PythonFormatError) fail('FORMAT_ERROR', `!Format: ${error.message}`, path);
    throw error;
  }
}

function showDefault(value: BlueprintValue): string {
  return isTagNode(value) ? describeTag(value) : pyRepr(value);
}

function envOrFile(tag: TagNode, state: State, path: Path): ResolvedValue {
  const isEnv = tag.$tag === 'Env';
  let name: BlueprintValue;
  let fallback: BlueprintValue | undefined;
  if ('args' in tag) {
    if (tag.args.length < 2) {
      fail(
        'TAG_BAD_ARGS',
        isEnv ? '!Env takes NAME or [NAME, default]' : '!File takes PATH or [PATH, default]',
        path,
      );
    }
    name = tag.args[0] ?? null;
    fallback = tag.args[1] ?? null;
  } else name = tag.value;
  if (typeof name !== 'string') {
    const what = isEnv ? 'variable name' : 'file path';
    const hint = isTagNode(name) ? '; authentik does not resolve a tag there' : '';
    fail(
      'TAG_BAD_ARGS',
      `!${tag.$tag}: the ${what} must be text, not ${pyTypeName(name)}${hint}`,
      path,
    );
  }
  const supplied = isEnv ? state.scope.explicit.env : state.scope.explicit.files;
  if (hasOwn(supplied, name)) {
    const text = String(supplied[name]);
    if (!isEnv) return pythonStrip(text);
    // `getenv(name) or default`: an empty variable counts as unset.
    if (text !== '') return text;
    return fallback === undefined ? null : direct(fallback, state, child(state, path, 1));
  }
  const defaultNote =
    fallback === undefined
      ? ''
      : isEnv
        ? ` authentik would use the default ${showDefault(fallback)} when ${name} is unset or empty on the server; Flowbench does not assume that.`
        : ` authentik would use the default ${showDefault(fallback)} when it cannot read the file; Flowbench does not assume that.`;
  if (isEnv) {
    fail(
      'ENV_NEEDS_VALUE',
      `!Env ${name}: authentik reads the environment variable ${name} on the server, and Flowbench never reads its own environment for a blueprint. Give the value with --context env:${name}=value or in the import dialog.${defaultNote}`,
      path,
    );
  }
  fail(
    'FILE_NEEDS_VALUE',
    `!File ${name}: authentik reads the file ${name} on the server, and Flowbench never reads its own files for a blueprint. Give the contents with --context file:${name}=value or in the import dialog.${defaultNote}`,
    path,
  );
}

function ifTag(args: readonly BlueprintValue[], state: State, path: Path): ResolvedValue {
  if (args.length === 0 || args.length === 2) {
    fail(
      'IF_BAD_ARGS',
      `!If takes [condition] or [condition, when_true, when_false], got ${args.length} arguments`,
      path,
    );
  }
  const chosen = truthOf(args[0], state, child(state, path, 0));
  if (args.length === 1) return chosen;
  const branch = chosen ? 1 : 2;
  return walk(args[branch], state, child(state, path, branch));
}

const CONDITION_MODES = ['AND', 'NAND', 'OR', 'NOR', 'XOR', 'XNOR'] as const;

function condition(args: readonly BlueprintValue[], state: State, path: Path): ResolvedValue {
  if (args.length === 0)
    fail('CONDITION_BAD_ARGS', `!Condition needs a mode (${CONDITION_MODES.join(', ')})`, path);
  const values = args
    .slice(1)
    .map((arg, offset) => truthOf(arg, state, child(state, path, offset + 1)));
  if (values.length === 0)
    fail('CONDITION_BAD_ARGS', 'At least one value is required after mode selection.', path);
  const mode = args[0];
  if (typeof mode !== 'string') {
    fail(
      'CONDITION_BAD_ARGS',
      `!Condition: the mode must be text (${CONDITION_MODES.join(', ')}), not ${pyTypeName(mode)}`,
      child(state, path, 0),
    );
  }
  // reduce(xor) over bools: true when an odd number are true.
  const xor = () => values.reduce((a, b) => a !== b);
  switch (mode.toUpperCase()) {
    case 'AND':
      return values.every(Boolean);
    case 'NAND':
      return !values.every(Boolean);
    case 'OR':
      return values.some(Boolean);
    case 'NOR':
      return !values.some(Boolean);
    case 'XOR':
      return xor();
    case 'XNOR':
      return !xor();
    default:
      return fail(
        'CONDITION_BAD_ARGS',
        `!Condition: unknown mode '${mode}' (use ${CONDITION_MODES.join(', ')})`,
        child(state, path, 0),
      );
  }
}

/** A Python dict key turned into a mapping key the way json.dumps writes it. */
function mappingKey(key: ResolvedValue, path: Path): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') return isPyFloat(key) ? pyFloatRepr(key) : pyIntString(key);
  return fail(
    'ENUMERATE_BAD_ARGS',
    `Enumerate: a MAP item's key must be text or a number, not ${pyTypeName(key)} (unhashable in Python)`,
    path,
  );
}

function isObject(value: unknown): value is Record<string, ResolvedValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** always_merger into `target`, adopting parts of `source` (freshly resolved, used nowhere else). */
function mergeInto(
  target: Record<string, ResolvedValue>,
  source: Record<string, ResolvedValue>,
  depth: number,
  path: Path,
): void {
  if (depth > MAX_RESOLVE_DEPTH) throw tooDeep(path);
  for (const key of Object.keys(source)) {
    const incoming = source[key] as ResolvedValue;
    const existing = hasOwn(target, key) ? target[key] : undefined;
    if (isObject(existing) && isObject(incoming)) mergeInto(existing, incoming, depth + 1, path);
    else if (Array.isArray(existing) && Array.isArray(incoming))
      setOwn(target, key, [...existing, ...incoming]);
    else setOwn(target, key, incoming);
  }
}

function enumerate(
  args: readonly BlueprintValue[],
  state: State,
  path: Path,
  walked: boolean,
): ResolvedValue {
  if (args.length < 3)
    fail('ENUMERATE_BAD_ARGS', '!Enumerate takes [iterable, SEQ|MAP, item_body]', path);
  const [iterableArg, outputArg, body] = args;
  if (isTagNode(iterableArg) && (iterableArg.$tag === 'Index' || iterableArg.$tag === 'Value')) {
    if (parseDepth(iterableArg.value) === 0n) {
      fail(
        'ENUMERATE_BAD_ARGS',
        "Enumerate tag's iterable references this tag's context. This is a noop. Check you are setting depth bigger than 0.",
        child(state, path, 0),
      );
    }
  }
  // A walked Enumerate is already the innermost context while its iterable is evaluated
  // (authentik registers it before calling resolve), with no current item yet.
  const own: Frame = { item: undefined };
  const iterableState: State = walked ? { ...state, stack: [...state.stack, own] } : state;
  const iterable = direct(iterableArg, iterableState, child(state, path, 0));
  let items: [ResolvedValue, ResolvedValue][];
  if (Array.isArray(iterable)) items = iterable.map((value, index) => [index, value]);
  else if (typeof iterable === 'string')
    items = Array.from(iterable).map((char, index) => [index, char]);
  else if (isObject(iterable))
    items = Object.keys(iterable).map((key) => [key, iterable[key] as ResolvedValue]);
  else {
    fail(
      'ENUMERATE_BAD_ARGS',
      "Enumerate's iterable must be an iterable such as a sequence or a mapping",
      child(state, path, 0),
    );
  }
  const output = typeof outputArg === 'string' ? outputArg.toUpperCase() : undefined;
  if (output !== 'SEQ' && output !== 'MAP') {
    fail(
      'ENUMERATE_BAD_ARGS',
      `Enumerate: the output must be SEQ or MAP, not ${pyRepr(outputArg)}`,
      child(state, path, 1),
    );
  }
  const bodyPath = child(state, path, 2);
  const bodyOf = (item: [ResolvedValue, ResolvedValue]): ResolvedValue => {
    const frameState: State = walked ? { ...state, stack: [...state.stack, { item }] } : state;
    return walk(body, frameState, bodyPath);
  };
  if (output === 'SEQ') return items.map(bodyOf);
  const result = newMapping<ResolvedValue>();
  for (const item of items) {
    const resolved = bodyOf(item);
    if (Array.isArray(resolved)) {
      if (resolved.length < 2) {
        fail(
          'ENUMERATE_BAD_ARGS',
          `Enumerate: a MAP item given as a list needs [key, value], got ${pyStr(resolved)}`,
          bodyPath,
        );
      }
      const entry = newMapping<ResolvedValue>();
      setOwn(
        entry,
        mappingKey(resolved[0] as ResolvedValue, bodyPath),
        resolved[1] as ResolvedValue,
      );
      mergeInto(result, entry, 0, bodyPath);
    } else if (isObject(resolved)) mergeInto(result, resolved, 0, bodyPath);
    else fail('ENUMERATE_BAD_ARGS', `Invalid Enumerate item found: ${pyStr(resolved)}`, bodyPath);
  }
  return result;
}

const PY_DIGIT = /^\p{Nd}$/u;

/** Python's `int(text)` as `!Index`/`!Value` apply it while loading; undefined if it raises. */
function parseDepth(text: string): bigint | undefined {
  const body = pythonStrip(text);
  const match = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u.exec(body);
  if (!match) return undefined;
  let digits = '';
  for (const char of (match[2] ?? '').replace(/_/g, '')) digits += String(digitValue(char));
  const magnitude = BigInt(digits);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** Value of one Unicode decimal digit (general category Nd). */
function digitValue(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  let start = code;
  while (start > 0 && PY_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (code - start) % 10;
}

function enumeratedItem(
  name: 'Index' | 'Value',
  text: string,
  state: State,
  path: Path,
): ResolvedValue {
  const depth = parseDepth(text);
  if (depth === undefined)
    fail('TAG_BAD_ARGS', `!${name} takes an integer depth, got "${text}"`, path);
  if (depth < 0n)
    fail('TAG_BAD_ARGS', `${name} tag: depth must be a positive number or zero`, path);
  const stack = state.stack;
  if (depth >= BigInt(stack.length)) {
    if (depth === 0n)
      fail('INDEX_OUTSIDE_ENUMERATE', `${name} tags are only usable inside an Enumerate tag`, path);
    fail(
      'INDEX_OUTSIDE_ENUMERATE',
      `${name} tag: invalid depth: ${depth}. Max depth: ${stack.length - 1}`,
      path,
    );
  }
  const frame = stack[stack.length - 1 - Number(depth)];
  if (!frame?.item) {
    fail(
      'INDEX_OUTSIDE_ENUMERATE',
      `${name} tag: the Enumerate at depth ${depth} has no current item, because its iterable is still being evaluated (authentik: Empty/invalid context: ())`,
      path,
    );
  }
  return cloneResolved(frame.item[name === 'Index' ? 0 : 1]);
}

function atIndex(args: readonly BlueprintValue[], state: State, path: Path): ResolvedValue {
  if (args.length < 2)
    fail(
      'ATINDEX_BAD_ARGS',
      '!AtIndex takes [object, index_or_key] or [object, index_or_key, default]',
      path,
    );
  const [objectArg, keyArg] = args;
  const hasDefault = args.length >= 3;
  const objectPath = child(state, path, 0);
  // A tag there is resolved; a plain list or mapping only has the chosen element resolved.
  const resolvedObject = isTagNode(objectArg);
  const object: BlueprintValue | ResolvedValue = resolvedObject
    ? direct(objectArg, state, objectPath)
    : (objectArg ?? null);
  const key = direct(keyArg, state, child(state, path, 1));
  const found = (value: BlueprintValue | undefined, segment: string | number): ResolvedValue =>
    resolvedObject
      ? cloneResolved((value ?? null) as ResolvedValue)
      : walk(value, state, child(state, objectPath, segment));
  const missing = (message: string): ResolvedValue =>
    hasDefault
      ? direct(args[2], state, child(state, path, 2))
      : fail('ATINDEX_MISSING', message, path);
  if (Array.isArray(object)) {
    let index: number;
    if (typeof key === 'boolean') index = key ? 1 : 0;
    else if (typeof key === 'number' && !isPyFloat(key)) index = key;
    else return fail('ATINDEX_BAD_ARGS', `Invalid index for list: ${pyStr(key)}`, path);
    const position = index < 0 ? object.length + index : index;
    if (position < 0 || position >= object.length)
      return missing(`Index out of range: ${pyStr(key)}`);
    return found(object[position] as BlueprintValue, position);
  }
  if (typeof object === 'string') {
    if (typeof key !== 'string') {
      return fail(
        'ATINDEX_BAD_ARGS',
        `'in <string>' requires string as left operand, not ${pyTypeName(key)}`,
        path,
      );
    }
    if (object.includes(key))
      return fail('ATINDEX_BAD_ARGS', "string indices must be integers, not 'str'", path);
    return missing(`Key does not exist: ${key}`);
  }
  if (object !== null && typeof object === 'object' && (resolvedObject || isPlainMapping(object))) {
    if (Array.isArray(key) || isObject(key)) {
      return fail(
        'ATINDEX_BAD_ARGS',
        `!AtIndex: a mapping key must be text, not ${pyTypeName(key)} (unhashable in Python)`,
        path,
      );
    }
    const mapping = object as Record<string, BlueprintValue>;
    if (typeof key === 'string' && hasOwn(mapping, key)) return found(mapping[key], key);
    return missing(`Key does not exist: ${pyStr(key)}`);
  }
  return fail('ATINDEX_BAD_ARGS', `argument of type '${pyTypeName(object)}' is not iterable`, path);
}

function parseJson(text: string, state: State, path: Path): ResolvedValue {
  try {
    return pythonJsonLoads(text, MAX_RESOLVE_DEPTH - state.depth);
  } catch (error) {
    if (error instanceof PythonJsonError) {
      if (error.kind === 'depth') throw tooDeep(path, ' (in !ParseJSON)');
      fail('PARSEJSON_INVALID', `!ParseJSON: ${error.message}`, path);
    }
    throw error;
  }
}

/**
 * Resolves every authentik tag in `value` against `scope`, as authentik does when it reads an
 * entry's model, state, conditions, identifiers, attrs or permissions. Returns plain data
 * (mappings on a null prototype, key order kept). Throws ResolveError, whose `path` starts with
 * `path` and points at the tag that failed (tag arguments are addressed by their index).
 */
export function resolveValue(
  value: BlueprintValue,
  scope: ResolveScope,
  path: ReadonlyArray<string | number> = [],
): ResolvedValue {
  const state: State = { scope, stack: [], depth: 0, contextKeys: [], fixedPath: false };
  try {
    return walk(value, state, [...path]);
  } catch (error) {
    // Belt and braces: the depth limit should trip long before the JavaScript stack does.
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw tooDeep(path);
    throw error;
  }
}
