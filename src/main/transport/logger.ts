import { policyRegistry, stageRegistry, type KindDef } from '@shared/model';

/**
 * The logger the transports write to. Injected so tests can read it and the app can route it
 * to a file; `consoleLogger` is the default.
 */
export interface Logger {
  error(message: string, details?: Record<string, unknown>): void;
  /** Refused requests and senders; optional (a CLI may print errors only). */
  warn?(message: string, details?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  warn: (message, details) => console.warn(`[flowbench] ${message}`, details ?? ''),
  error: (message, details) => console.error(`[flowbench] ${message}`, details ?? ''),
};

export const REDACTED = '[redacted]';

/** Config keys the stage and policy registries declare as credentials. */
const registrySecrets = new Set(
  ([...Object.values(stageRegistry), ...Object.values(policyRegistry)] as KindDef[]).flatMap((def) => def.secrets ?? []),
);

/**
 * Whether a key names a secret: `password`, `new_password`, `client_secret`, `access_token`,
 * `apiKey`, `private_key`, `key`… (`pk`, `keyboard`, `monkey` are not secrets).
 */
export function isSecretKey(key: string): boolean {
  if (registrySecrets.has(key)) return true;
  const lower = key.toLowerCase();
  if (/passw(or)?d|passphrase|secret|token|credential|cookie|authorization/.test(lower)) return true;
  if (lower === 'key' || /[_\-.]key$/.test(lower) || /^key[_\-.]/.test(lower)) return true;
  return /[a-z0-9]Key$/.test(key) || lower.endsWith('apikey') || lower.endsWith('privatekey');
}

const MAX_DEPTH = 8;
const MAX_STRING = 500;
const MAX_ENTRIES = 100;

/**
 * A copy of `value` that is safe to log: the values of secret-named keys are replaced, long
 * strings and collections are shortened, cycles and depth are cut.
 */
export function redact(value: unknown): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…(${v.length} chars)` : v;
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'function' || typeof v === 'symbol') return `[${typeof v}]`;
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[…]';
    seen.add(v);
    if (Array.isArray(v)) {
      const items = v.slice(0, MAX_ENTRIES).map((item) => walk(item, depth + 1));
      if (v.length > MAX_ENTRIES) items.push(`…(${v.length - MAX_ENTRIES} more)`);
      return items;
    }
    const out: Record<string, unknown> = {};
    const entries = Object.entries(v);
    for (const [key, item] of entries.slice(0, MAX_ENTRIES)) {
      out[key] = isSecretKey(key) ? REDACTED : walk(item, depth + 1);
    }
    if (entries.length > MAX_ENTRIES) out['…'] = `${entries.length - MAX_ENTRIES} more keys`;
    return out;
  };
  return walk(value, 0);
}
