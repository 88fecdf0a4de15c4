import { type Group, groupSchema } from '@shared/model';
import { type Db } from '../db';
import { parseJsonColumn, parseRow, stmt, toBool, toInt } from '../sql';

interface GroupRow {
  pk: string;
  name: string;
  is_superuser: number;
  parent: string | null;
  attributes: string;
}

const COLUMNS = 'pk, name, is_superuser, parent, attributes';

// Built once: the statement cache (sql.ts) is keyed by the text.
const SELECT_ALL = `SELECT ${COLUMNS} FROM "groups" ORDER BY name`;
const SELECT_BY_PK = `SELECT ${COLUMNS} FROM "groups" WHERE pk = ?`;
const INSERT = `INSERT INTO "groups" (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`;

function fromRow(row: GroupRow): Group {
  return parseRow(groupSchema, 'groups', row.pk, {
    ...row,
    is_superuser: toBool(row.is_superuser),
    attributes: parseJsonColumn('groups', row.pk, 'attributes', row.attributes),
  });
}

export function listGroups(db: Db): Group[] {
  return stmt<GroupRow>(db, SELECT_ALL).all().map(fromRow);
}

export function getGroup(db: Db, pk: string): Group | undefined {
  const row = stmt<GroupRow>(db, SELECT_BY_PK).get(pk);
  return row ? fromRow(row) : undefined;
}

export function getGroupName(db: Db, pk: string): string | undefined {
  return stmt<{ name: string }>(db, 'SELECT name FROM "groups" WHERE pk = ?').get(pk)?.name;
}

/**
 * Whether `candidate` is `group` itself or one of its ancestors. UNION (not UNION ALL) makes the
 * walk terminate even on a cycle written by hand into the file.
 */
export function isSelfOrAncestor(db: Db, group: string, candidate: string): boolean {
  return (
    stmt(
      db,
      `WITH RECURSIVE chain(pk) AS (
         SELECT ? UNION SELECT g.parent FROM "groups" g JOIN chain c ON g.pk = c.pk WHERE g.parent IS NOT NULL
       ) SELECT 1 FROM chain WHERE pk = ? LIMIT 1`,
    ).get(group, candidate) !== undefined
  );
}

export function insertGroup(db: Db, group: Group): void {
  stmt(db, INSERT).run(
    group.pk,
    group.name,
    toInt(group.is_superuser),
    group.parent,
    JSON.stringify(group.attributes),
  );
}

export function updateGroup(db: Db, group: Group): boolean {
  return (
    stmt(
      db,
      'UPDATE "groups" SET name = ?, is_superuser = ?, parent = ?, attributes = ? WHERE pk = ?',
    ).run(
      group.name,
      toInt(group.is_superuser),
      group.parent,
      JSON.stringify(group.attributes),
      group.pk,
    ).changes === 1
  );
}

/** Deletes the group: children lose their parent (SET NULL); memberships and bindings cascade. */
export function deleteGroup(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM "groups" WHERE pk = ?').run(pk).changes === 1;
}
