import { type BlueprintValue, describeTag, isMapping, isTagNode } from '../yaml';

/** A short, single-line rendering of any value for messages. */
export function describeValue(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (isTagNode(value)) text = describeTag(value);
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function displayScalar(value: BlueprintValue | undefined): string {
  if (isTagNode(value)) return describeTag(value);
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 59)}…` : value;
  return describeValue(value);
}

/** `slug=default-authentication-flow`, `order=10 stage=!KeyOf x target=!KeyOf flow`, as written. */
export function displayIdentifiers(identifiers: BlueprintValue | undefined): string {
  if (isTagNode(identifiers)) return describeTag(identifiers);
  if (!isMapping(identifiers)) return '';
  return Object.entries(identifiers)
    .slice(0, 4)
    .map(([key, value]) => `${key}=${displayScalar(value)}`)
    .join(' ');
}

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** Whether any mapping below `value` (tag arguments included) has a forbidden key; no allocation per node. */
function hasForbiddenKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
      continue;
    }
    if (isTagNode(current)) {
      if ('args' in current) for (const item of current.args) stack.push(item);
      continue;
    }
    for (const key in current) {
      if (!Object.prototype.hasOwnProperty.call(current, key)) continue;
      if (FORBIDDEN_KEYS.has(key)) return true;
      stack.push((current as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/**
 * Path to the first `__proto__` key below `value` (iterative: values can be deep), or undefined.
 * The codec keeps such keys as plain data; the importer refuses them, since no authentik model
 * has such a field and downstream code must never see one.
 */
export function findForbiddenKey(value: unknown): (string | number)[] | undefined {
  if (!hasForbiddenKey(value)) return undefined;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    if (isTagNode(current)) {
      if ('args' in current) current.args.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return [...path, key];
      stack.push({ value: (current as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}

/** Python's `bool()` over resolved data. */
export function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** JSON with sorted keys, for comparing objects regardless of key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, current: unknown) => {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return current;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(current).sort()) sorted[key] = (current as Record<string, unknown>)[key];
    return sorted;
  });
}

/** Keys of the caller's context that look like they hold secrets; never stored. */
const SECRET_KEY = /(passw(or)?d|passphrase|secret|token|private|credential|api[_-]?key|signing|(^|[_\-./])key$)/i;

export function isSecretLookingKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** The caller's context without secret-looking keys (recursively), for storing with the blueprint. */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSecretLookingKey(key) || key === '__proto__') continue;
    out[key] = withoutSecrets(item, depth + 1);
  }
  return out;
}
