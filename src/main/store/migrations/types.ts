import { type Db } from '../db';

/**
 * One forward-only schema step. `sql` is applied verbatim inside the migration's transaction;
 * a step that also has to move data adds `up`, which runs after `sql` in the same transaction.
 * A shipped migration never changes (test/integration/store/schema-guard.test.ts pins its hash):
 * fix a mistake with a new migration.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly up?: (db: Db) => void;
}
