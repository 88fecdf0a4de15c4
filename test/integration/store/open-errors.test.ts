import { randomBytes } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  LATEST_SCHEMA_VERSION,
  migrations,
  openDatabase,
  WorkspaceOpenError,
  type WorkspaceOpenErrorCode,
} from '../../../src/main/store';
import { openWorkspace } from '../../../src/main/workspace';
import { sha256, useTempDir } from './helpers';

const tempDir = useTempDir();

function openError(fn: () => unknown): WorkspaceOpenError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspaceOpenError);
    return error as WorkspaceOpenError;
  }
  throw new Error('expected a WorkspaceOpenError');
}

/** Assert `open(path)` fails with `code`, and that the file's bytes are exactly as before. */
function expectRefused(
  path: string,
  code: WorkspaceOpenErrorCode,
  open: (p: string) => unknown = (p) => openDatabase(p),
): WorkspaceOpenError {
  const before = sha256(path);
  const size = statSync(path).size;
  const siblings = readdirSync(dirname(path)).sort();
  const error = openError(() => open(path));
  expect(error.code).toBe(code);
  expect(error.path).toBe(path);
  expect(error.message.length).toBeGreaterThan(20);
  expect(sha256(path)).toBe(before);
  expect(statSync(path).size).toBe(size);
  expect(readdirSync(dirname(path)).sort()).toEqual(siblings); // not even a -wal or -shm beside it
  return error;
}

/** A real, closed (checkpointed) workspace with enough rows to span many pages. */
function realWorkspace(path: string): void {
  const ws = openWorkspace({ path });
  ws.services.context.write(() => {
    for (let i = 0; i < 300; i += 1) {
      ws.services.flows.create({
        name: `Flow ${i} ${'x'.repeat(200)}`,
        slug: `flow-${i}`,
        title: 'T',
        designation: 'authentication',
      });
    }
  });
  ws.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
}

describe('opening a workspace file', () => {
  it('refuses a workspace from a newer Flowbench and leaves it byte for byte', () => {
    const path = join(tempDir(), 'newer.sqlite');
    realWorkspace(path);
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
    raw.close();
    const error = expectRefused(path, 'NEWER_VERSION');
    expect(error.message).toMatch(/newer Flowbench/);
    expectRefused(path, 'NEWER_VERSION', (p) => openWorkspace({ path: p }));
  });

  it('refuses random bytes as NOT_SQLITE', () => {
    const path = join(tempDir(), 'random.sqlite');
    writeFileSync(path, randomBytes(16384));
    expectRefused(path, 'NOT_SQLITE');
  });

  it('refuses a short text file as NOT_SQLITE', () => {
    const path = join(tempDir(), 'notes.sqlite');
    writeFileSync(path, 'hello\n');
    expectRefused(path, 'NOT_SQLITE');
  });

  it('refuses a truncated workspace as CORRUPT', () => {
    const path = join(tempDir(), 'truncated.sqlite');
    realWorkspace(path);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const error = expectRefused(path, 'CORRUPT');
    expect(error.message).toMatch(/damaged/);
  });

  it('refuses a workspace with a scribbled-over page as CORRUPT', () => {
    const path = join(tempDir(), 'scribbled.sqlite');
    realWorkspace(path);
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    randomBytes(pageSize).copy(bytes, pageSize * 3); // a b-tree page in the middle of the flows table
    writeFileSync(path, bytes);
    expectRefused(path, 'CORRUPT');
  });

  it("refuses another program's SQLite database as NOT_A_WORKSPACE", () => {
    const path = join(tempDir(), 'other.sqlite');
    const other = new Database(path);
    other.exec(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi');",
    );
    other.close();
    expectRefused(path, 'NOT_A_WORKSPACE');
  });

  it('refuses a database with a foreign application_id even when empty', () => {
    const path = join(tempDir(), 'foreign-id.sqlite');
    const other = new Database(path);
    other.pragma('application_id = 1234');
    other.close();
    expectRefused(path, 'NOT_A_WORKSPACE');
  });

  it('reports LOCKED when another program holds a new file exclusively', () => {
    const path = join(tempDir(), 'locked.sqlite');
    const other = new Database(path); // an empty file, still in rollback-journal mode
    other.exec('BEGIN EXCLUSIVE');
    try {
      const error = openError(() => openDatabase(path, { busyTimeoutMs: 50 }));
      expect(error.code).toBe('LOCKED');
      expect(error.message).toMatch(/locked by another program/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('reports LOCKED for a workspace another program holds in exclusive locking mode, and changes nothing', () => {
    const path = join(tempDir(), 'exclusive.sqlite');
    realWorkspace(path);
    const other = new Database(path);
    other.pragma('locking_mode = EXCLUSIVE');
    other.prepare("UPDATE flows SET title = 'held' WHERE slug = 'flow-0'").run();
    try {
      const error = openError(() => openDatabase(path, { busyTimeoutMs: 50 }));
      expect(error.code).toBe('LOCKED');
    } finally {
      other.close();
    }
    const db = openDatabase(path);
    expect(db.prepare("SELECT title FROM flows WHERE slug = 'flow-0'").pluck().get()).toBe('held');
    db.close();
  });

  it('reports LOCKED when an upgrade is due while another program is writing', () => {
    const path = join(tempDir(), 'busy.sqlite');
    realWorkspace(path);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const next = {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'next',
        sql: 'CREATE TABLE next_step (x INTEGER) STRICT;',
      };
      const error = openError(() =>
        openDatabase(path, { busyTimeoutMs: 50, migrations: [...migrations, next] }),
      );
      expect(error.code).toBe('LOCKED');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // A current workspace opens fine next to another writer: WAL lets both work.
    const again = new Database(path);
    again.exec('BEGIN IMMEDIATE');
    try {
      const db = openDatabase(path, { busyTimeoutMs: 50 });
      expect(db.prepare('SELECT count(*) FROM flows').pluck().get()).toBe(300);
      db.close();
    } finally {
      again.exec('ROLLBACK');
      again.close();
    }
  });

  it('treats a zero-byte file as a new workspace', () => {
    const path = join(tempDir(), 'empty.sqlite');
    writeFileSync(path, '');
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('treats an empty SQLite database (no schema, no ids) as a new workspace', () => {
    const path = join(tempDir(), 'blank.sqlite');
    new Database(path).exec('VACUUM'); // writes a valid one-page database
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  describe('read-only', () => {
    it('opens a current workspace without writing and refuses writes', () => {
      const path = join(tempDir(), 'ro.sqlite');
      realWorkspace(path);
      const before = sha256(path);
      const db = openDatabase(path, { readonly: true });
      expect(db.prepare('SELECT count(*) FROM flows').pluck().get()).toBe(300);
      expect(() => db.prepare('DELETE FROM flows').run()).toThrow();
      db.close();
      expect(sha256(path)).toBe(before);
    });

    it('reports MISSING for a path with no file, and creates nothing', () => {
      const path = join(tempDir(), 'nothing.sqlite');
      expect(openError(() => openDatabase(path, { readonly: true })).code).toBe('MISSING');
      expect(existsSync(path)).toBe(false);
    });

    it('reports NEEDS_UPGRADE for a workspace that would need migrations', () => {
      const path = join(tempDir(), 'blank.sqlite');
      writeFileSync(path, '');
      expect(openError(() => openDatabase(path, { readonly: true })).code).toBe('NEEDS_UPGRADE');
    });
  });
});
