import Database from 'better-sqlite3';
import { type z } from 'zod';
import { type Issue, RpcFailure } from '@shared/contract';

export const notFound = (message: string, issues?: Issue[]): RpcFailure =>
  new RpcFailure('NOT_FOUND', message, issues);
export const conflict = (message: string, issues?: Issue[]): RpcFailure =>
  new RpcFailure('CONFLICT', message, issues);
export const inUse = (message: string): RpcFailure => new RpcFailure('IN_USE', message);
export const invalid = (message: string, issues?: Issue[]): RpcFailure =>
  new RpcFailure('INVALID_INPUT', message, issues);

/**
 * Parse with a shared model schema inside a service (services are also called by the CLI and the
 * blueprint importer, not only through the dispatcher). Failure → INVALID_INPUT with zod's issues,
 * their paths prefixed with `at` (e.g. ['patch'] for an update).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  at: (string | number)[] = [],
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: [...at, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    message: issue.message,
  }));
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw invalid(`${where}${first?.message ?? 'Invalid input'}`, issues);
}

/**
 * Messages for UNIQUE / PRIMARY KEY violations, keyed `table.col1,col2` as SQLite reports them
 * ("UNIQUE constraint failed: flows.slug" → `flows.slug`).
 */
export type UniqueMessages = Readonly<Record<string, () => string>>;

/**
 * Run `fn` and turn SQLite failures into RpcFailures: UNIQUE → CONFLICT (with the message for
 * that constraint), FOREIGN KEY → NOT_FOUND, CHECK → INVALID_INPUT, BUSY → STORE_ERROR. Services
 * check references before writing so that NOT_FOUND can name what is missing; the FK mapping is
 * the safety net.
 */
export function mapSqliteErrors<T>(fn: () => T, unique: UniqueMessages = {}): T {
  try {
    return fn();
  } catch (error) {
    throw translate(error, unique);
  }
}

export async function mapSqliteErrorsAsync<T>(
  fn: () => Promise<T>,
  unique: UniqueMessages = {},
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translate(error, unique);
  }
}

function translate(error: unknown, unique: UniqueMessages): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const { code, message } = error;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const key = constraintKey(message);
    const custom = key ? unique[key] : undefined;
    const text = custom
      ? custom()
      : key?.endsWith('.pk')
        ? 'An object with that pk already exists.'
        : `Another object already has the same ${key ?? 'key'}.`;
    // Name the offending columns as issues so forms can put the message next to the field.
    const columns = key ? (key.split('.')[1] ?? '').split(',').filter(Boolean) : [];
    return new RpcFailure('CONFLICT', text, columns.length ? columns.map((c) => ({ path: [c], message: text })) : undefined);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new RpcFailure(
      'NOT_FOUND',
      'A referenced object does not exist (or is still referenced).',
    );
  }
  if (
    code === 'SQLITE_CONSTRAINT_CHECK' ||
    code === 'SQLITE_CONSTRAINT_NOTNULL' ||
    code === 'SQLITE_CONSTRAINT_TRIGGER'
  ) {
    return new RpcFailure('INVALID_INPUT', `The workspace refused the change: ${message}`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new RpcFailure(
      'STORE_ERROR',
      'The workspace is busy: another program is writing to it. Try again.',
    );
  }
  return new RpcFailure('STORE_ERROR', `The workspace could not be read or written: ${message}`);
}

function constraintKey(message: string): string | undefined {
  const match = /constraint failed: (.+)$/.exec(message);
  if (!match?.[1]) return undefined;
  const columns = match[1].split(',').map((c) => c.trim());
  const table = columns[0]?.split('.')[0];
  return `${table}.${columns.map((c) => c.split('.').slice(1).join('.')).join(',')}`;
}
