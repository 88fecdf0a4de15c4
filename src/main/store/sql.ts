import type Database from 'better-sqlite3';
import { type z } from 'zod';
import { type Db } from './db';
import { StoreError } from './errors';

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection. */
export function stmt<Row = unknown>(db: Db, sql: string): Database.Statement<unknown[], Row> {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement as Database.Statement<unknown[], Row>;
}

export const toInt = (value: boolean): 0 | 1 => (value ? 1 : 0);
export const toBool = (value: number): boolean => value === 1;

/** Parse a JSON column; a malformed value is a StoreError naming table, pk and column. */
export function parseJsonColumn(
  table: string,
  pk: string | number,
  column: string,
  text: string,
): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StoreError(table, pk, column, `not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Parse a row, already shaped like the model object, with the shared zod schema. The first issue
 * names the column (its path's first segment) in the StoreError.
 */
export function parseRow<S extends z.ZodType>(
  schema: S,
  table: string,
  pk: string | number,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const column = issue && issue.path.length > 0 ? String(issue.path[0]) : 'row';
  const where = issue && issue.path.length > 1 ? ` at ${issue.path.slice(1).join('.')}` : '';
  throw new StoreError(
    table,
    pk,
    column,
    `${issue?.message ?? 'does not match the model'}${where}`,
  );
}
