import { APPLICATION_ID, type Db } from './db';
import { WorkspaceOpenError } from './errors';
import {
  LATEST_SCHEMA_VERSION,
  type Migration,
  migrations as shippedMigrations,
} from './migrations';

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Bring `db` up to the latest schema: each pending migration in its own transaction, with
 * `user_version` bumped inside it, so a crash leaves the file at the last completed step.
 * The first migration also stamps `application_id`, in the same transaction as the schema.
 * Refuses (without writing) a database from a newer Flowbench.
 */
export function migrate(
  db: Db,
  path: string,
  migrations: readonly Migration[] = shippedMigrations,
): number {
  assertOrdered(migrations);
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) throw newerVersionError(path, current, latest);
  for (const migration of migrations.slice(current)) {
    db.transaction(() => {
      if (migration.version === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
      db.exec(migration.sql);
      migration.up?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return latest;
}

export function newerVersionError(
  path: string,
  found: number,
  known = LATEST_SCHEMA_VERSION,
): WorkspaceOpenError {
  return new WorkspaceOpenError(
    'NEWER_VERSION',
    path,
    `The workspace ${path} was written by a newer Flowbench (schema ${found}; this version knows up to ${known}). ` +
      'Update Flowbench to open it; the file was left untouched.',
  );
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) {
      throw new Error(
        `Migration list out of order: index ${index} holds version ${m.version} (${m.name})`,
      );
    }
  });
}
