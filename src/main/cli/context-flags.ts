import { UsageError } from './args';

/** `--context` values split by where they go in a blueprint import. */
export interface ContextFlags {
  context: Record<string, unknown>;
  env: Record<string, string>;
  fileValues: Record<string, string>;
}

/**
 * `--context KEY=VALUE` (VALUE parsed as JSON when it is JSON, else kept as text), plus
 * `--context env:NAME=VALUE` and `--context file:PATH=VALUE`, the only way to give `!Env` and
 * `!File` tags a value: Flowbench never reads them from this machine.
 */
export function parseContextFlags(values: readonly string[]): ContextFlags {
  const flags: ContextFlags = { context: {}, env: {}, fileValues: {} };
  for (const raw of values) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new UsageError(`--context expects KEY=VALUE, got "${raw}"`);
    const key = raw.slice(0, eq);
    const value = raw.slice(eq + 1);
    if (key.startsWith('env:')) flags.env[key.slice(4)] = value;
    else if (key.startsWith('file:')) flags.fileValues[key.slice(5)] = value;
    else Object.defineProperty(flags.context, key, { value: parseLoose(value), enumerable: true, writable: true, configurable: true });
  }
  return flags;
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
