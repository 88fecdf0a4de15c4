import { type User, userSchema } from '@shared/model';
import { isUsablePasswordHash } from '../../auth/passwords';
import { type Db } from '../db';
import { parseJsonColumn, parseRow, stmt, toBool, toInt } from '../sql';

interface UserRow {
  pk: number;
  username: string;
  name: string;
  email: string;
  is_active: number;
  type: string;
  path: string;
  attributes: string;
  usable: number;
  password_change_date: string | null;
  last_login: string | null;
  date_joined: string;
}

/** Everything but the hash: the stored password never leaves this file except via getPasswordHash. */
const COLUMNS = `pk, username, name, email, is_active, type, path, attributes,
  (password IS NOT NULL AND substr(password, 1, 1) <> '!') AS usable, password_change_date, last_login, date_joined`;

// Built once: the statement cache (sql.ts) is keyed by the text.
const SELECT_ALL = `SELECT ${COLUMNS} FROM users ORDER BY username`;
const SELECT_BY_PK = `SELECT ${COLUMNS} FROM users WHERE pk = ?`;

/** The stored fields of a user; `groups` is kept in user_groups. */
export type UserRecord = Omit<User, 'groups' | 'has_usable_password'>;

function fromRow(row: UserRow, groups: string[]): User {
  return parseRow(userSchema, 'users', row.pk, {
    pk: row.pk,
    username: row.username,
    name: row.name,
    email: row.email,
    is_active: toBool(row.is_active),
    type: row.type,
    path: row.path,
    attributes: parseJsonColumn('users', row.pk, 'attributes', row.attributes),
    groups,
    has_usable_password: toBool(row.usable),
    password_change_date: row.password_change_date,
    last_login: row.last_login,
    date_joined: row.date_joined,
  });
}

/** All users by username, each with its group pks (by group name). */
export function listUsers(db: Db): User[] {
  const memberships = new Map<number, string[]>();
  const rows = stmt<{ user: number; group: string }>(
    db,
    'SELECT ug."user" AS "user", ug."group" AS "group" FROM user_groups ug JOIN "groups" g ON g.pk = ug."group" ORDER BY g.name',
  ).all();
  for (const row of rows) {
    const list = memberships.get(row.user) ?? [];
    list.push(row.group);
    memberships.set(row.user, list);
  }
  return stmt<UserRow>(db, SELECT_ALL)
    .all()
    .map((row) => fromRow(row, memberships.get(row.pk) ?? []));
}

export function getUser(db: Db, pk: number): User | undefined {
  const row = stmt<UserRow>(db, SELECT_BY_PK).get(pk);
  return row ? fromRow(row, groupsOfUser(db, pk)) : undefined;
}

export function getUsername(db: Db, pk: number): string | undefined {
  return stmt<{ username: string }>(db, 'SELECT username FROM users WHERE pk = ?').get(pk)
    ?.username;
}

export function groupsOfUser(db: Db, pk: number): string[] {
  return stmt<{ group: string }>(
    db,
    'SELECT ug."group" AS "group" FROM user_groups ug JOIN "groups" g ON g.pk = ug."group" WHERE ug."user" = ? ORDER BY g.name',
  )
    .all(pk)
    .map((r) => r.group);
}

/** Inserts a user and returns its pk (AUTOINCREMENT unless `record.pk` is given). */
export function insertUser(
  db: Db,
  record: Omit<UserRecord, 'pk'> & { pk?: number },
  password: string | null,
): number {
  const result = stmt(
    db,
    `INSERT INTO users (pk, username, name, email, is_active, type, path, attributes, password,
       password_change_date, last_login, date_joined)
     VALUES (@pk, @username, @name, @email, @is_active, @type, @path, @attributes, @password,
       @password_change_date, @last_login, @date_joined)`,
  ).run({
    pk: record.pk ?? null,
    username: record.username,
    name: record.name,
    email: record.email,
    is_active: toInt(record.is_active),
    type: record.type,
    path: record.path,
    attributes: JSON.stringify(record.attributes),
    password,
    password_change_date: record.password_change_date,
    last_login: record.last_login,
    date_joined: record.date_joined,
  });
  return Number(result.lastInsertRowid);
}

/** Updates the profile fields (not the password, not the dates). */
export function updateUser(
  db: Db,
  record: Pick<
    UserRecord,
    'pk' | 'username' | 'name' | 'email' | 'is_active' | 'type' | 'path' | 'attributes'
  >,
): boolean {
  return (
    stmt(
      db,
      `UPDATE users SET username = @username, name = @name, email = @email, is_active = @is_active, type = @type,
         path = @path, attributes = @attributes WHERE pk = @pk`,
    ).run({
      pk: record.pk,
      username: record.username,
      name: record.name,
      email: record.email,
      is_active: toInt(record.is_active),
      type: record.type,
      path: record.path,
      attributes: JSON.stringify(record.attributes),
    }).changes === 1
  );
}

export function setUserGroups(db: Db, pk: number, groups: readonly string[]): void {
  stmt(db, 'DELETE FROM user_groups WHERE "user" = ?').run(pk);
  const insert = stmt(db, 'INSERT OR IGNORE INTO user_groups ("user", "group") VALUES (?, ?)');
  for (const group of groups) insert.run(pk, group);
}

export function setLastLogin(db: Db, pk: number, at: string): boolean {
  return stmt(db, 'UPDATE users SET last_login = ? WHERE pk = ?').run(at, pk).changes === 1;
}

/** Deletes the user; memberships and policy bindings on the user cascade. */
export function deleteUser(db: Db, pk: number): boolean {
  return stmt(db, 'DELETE FROM users WHERE pk = ?').run(pk).changes === 1;
}

/** The stored hash: a PHC string, an unusable marker, null (never set); undefined = no such user. */
export function getPasswordHash(db: Db, pk: number): string | null | undefined {
  const row = stmt<{ password: string | null }>(db, 'SELECT password FROM users WHERE pk = ?').get(
    pk,
  );
  return row ? row.password : undefined;
}

/** Store a new hash (or unusable marker); `changedAt` null keeps password_change_date. */
export function setPasswordHash(
  db: Db,
  pk: number,
  hash: string,
  changedAt: string | null,
): boolean {
  return (
    stmt(
      db,
      'UPDATE users SET password = ?, password_change_date = coalesce(?, password_change_date) WHERE pk = ?',
    ).run(hash, changedAt, pk).changes === 1
  );
}

/** Replace the hash only if it is still `expected` (a rehash must not undo a concurrent change). */
export function replacePasswordHash(db: Db, pk: number, expected: string, fresh: string): boolean {
  return (
    stmt(db, 'UPDATE users SET password = ? WHERE pk = ? AND password = ?').run(fresh, pk, expected)
      .changes === 1
  );
}

export { isUsablePasswordHash };
