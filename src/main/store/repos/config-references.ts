import { type Db } from '../db';
import { stmt } from '../sql';

export interface ConfigReferrer {
  pk: string;
  name: string;
}

/**
 * Stages or policies of `kind` whose config holds `pk` in `field` (a single pk, or one item of
 * a list when `many`). See src/main/store/references.ts for the reference table.
 */
export function findConfigReferrers(
  db: Db,
  table: 'stages' | 'policies',
  kind: string,
  field: string,
  many: boolean,
  pk: string,
): ConfigReferrer[] {
  const path = `$."${field.replace(/"/g, '')}"`;
  const sql = many
    ? `SELECT pk, name FROM ${table} AS o WHERE o.kind = ? AND EXISTS (SELECT 1 FROM json_each(o.config, ?) WHERE value = ?) ORDER BY name`
    : `SELECT pk, name FROM ${table} WHERE kind = ? AND json_extract(config, ?) = ? ORDER BY name`;
  return stmt<ConfigReferrer>(db, sql).all(kind, path, pk);
}
