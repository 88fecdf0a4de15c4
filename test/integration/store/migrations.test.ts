import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_ID,
  LATEST_SCHEMA_VERSION,
  migrate,
  migrations,
  openDatabase,
  type Migration,
} from '../../../src/main/store';
import { useTempDir } from './helpers';

const tempDir = useTempDir();

describe('migrations', () => {
  it('are numbered 1..n in list order', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
  });

  it.each(migrations.map((m) => [m.version, m.name] as const))(
    'apply on an empty database up to version %i (%s)',
    (version) => {
      const db = openDatabase(':memory:', { migrations: migrations.slice(0, version) });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(version);
        expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    },
  );

  it('creates a missing file with the connection settings of the spec', () => {
    const path = join(tempDir(), 'new.sqlite');
    const db = openDatabase(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('does nothing when reopening a current workspace', () => {
    const path = join(tempDir(), 'w.sqlite');
    openDatabase(path).close();
    let ran = false;
    const spy: Migration[] = migrations.map((m) => ({ ...m, up: () => (ran = true) }));
    openDatabase(path, { migrations: spy }).close();
    expect(ran).toBe(false);
  });

  it('upgrades an older workspace one transaction per step', () => {
    const path = join(tempDir(), 'w.sqlite');
    openDatabase(path).close();
    const next: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'test-step',
      sql: 'CREATE TABLE test_step (id INTEGER PRIMARY KEY) STRICT;',
      up: (db) => db.prepare('INSERT INTO test_step (id) VALUES (42)').run(),
    };
    const db = openDatabase(path, { migrations: [...migrations, next] });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
      expect(db.prepare('SELECT id FROM test_step').pluck().get()).toBe(42);
    } finally {
      db.close();
    }
  });

  it('rolls a failing step back completely and keeps the previous version', () => {
    const path = join(tempDir(), 'w.sqlite');
    openDatabase(path).close();
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id INTEGER) STRICT;',
      up: () => {
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(path, { migrations: [...migrations, broken] })).toThrow('boom');
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(
        raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get(),
      ).toBe(0);
    } finally {
      raw.close();
    }
  });

  it('refuses an out-of-order migration list', () => {
    const db = new Database(':memory:');
    try {
      expect(() => migrate(db, ':memory:', [{ ...migrations[0]!, version: 2 }])).toThrow(
        /out of order/,
      );
    } finally {
      db.close();
    }
  });
});
