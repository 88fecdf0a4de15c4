import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { APPLICATION_ID, type Db } from './db';
import { WorkspaceOpenError } from './errors';
import { migrate, newerVersionError, schemaVersion } from './migrate';
import {
  LATEST_SCHEMA_VERSION,
  type Migration,
  migrations as shippedMigrations,
} from './migrations';

export interface OpenDatabaseOptions {
  /**
   * Path of the better-sqlite3 native addon, passed straight to better-sqlite3. The Electron app
   * loads a build made for Electron's ABI; plain Node (CLI, tests) leaves it unset.
   */
  nativeBinding?: string;
  /** Open without writing anything: no migrations, `query_only`. The file must exist and be current. */
  readonly?: boolean;
  /** How long to wait for another connection's lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  /** The migration list; tests pass a longer one to simulate an upgrade. */
  migrations?: readonly Migration[];
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** The native binding each connection was opened with, so a sandbox copy loads the same addon. */
const bindings = new WeakMap<Db, string | undefined>();

type FileState =
  { state: 'missing' } | { state: 'empty' } | { state: 'workspace'; version: number };

/**
 * Open (creating when missing) a Flowbench workspace database and bring its schema up to date.
 *
 * An existing file is inspected read-only first — SQLite header, `PRAGMA quick_check`,
 * `application_id`, `user_version` — and refused with a typed `WorkspaceOpenError` when it is not
 * a healthy Flowbench workspace (or an empty file). Nothing is written to a refused file, and no
 * -wal/-shm file appears beside it: the read-write connection is only opened after the checks pass.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const migrations = options.migrations ?? shippedMigrations;
  const latest = migrations.length;
  const nativeBinding = options.nativeBinding;

  if (path === ':memory:') {
    const db = new Database(':memory:', { nativeBinding });
    configure(db, { file: false, busyTimeoutMs });
    migrate(db, path, migrations);
    bindings.set(db, nativeBinding);
    return db;
  }

  const file = inspectFile(path, { nativeBinding, busyTimeoutMs, latest });

  if (options.readonly) {
    if (file.state === 'missing') {
      throw new WorkspaceOpenError(
        'MISSING',
        path,
        `There is no workspace at ${path}. Check the path, or open it once without --readonly to create it.`,
      );
    }
    const version = file.state === 'workspace' ? file.version : 0;
    if (version < latest) {
      throw new WorkspaceOpenError(
        'NEEDS_UPGRADE',
        path,
        `The workspace ${path} uses schema ${version} and this Flowbench needs ${latest}. Open it once read-write (the desktop app or any non-readonly command) to upgrade it.`,
      );
    }
    const db = guard(
      path,
      () =>
        new Database(path, {
          readonly: true,
          fileMustExist: true,
          nativeBinding,
          timeout: busyTimeoutMs,
        }),
    );
    try {
      guard(path, () => {
        db.pragma(`busy_timeout = ${busyTimeoutMs}`);
        db.pragma('foreign_keys = ON');
        db.pragma('query_only = ON');
      });
    } catch (error) {
      db.close();
      throw error;
    }
    bindings.set(db, nativeBinding);
    return db;
  }

  const db = guard(path, () => new Database(path, { nativeBinding, timeout: busyTimeoutMs }));
  try {
    guard(path, () => {
      configure(db, { file: true, busyTimeoutMs });
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') {
        throw new WorkspaceOpenError(
          'CANNOT_OPEN',
          path,
          `The workspace ${path} cannot use write-ahead logging here (a network drive?). Keep the workspace on a local disk.`,
        );
      }
      migrate(db, path, migrations);
    });
  } catch (error) {
    db.close();
    throw error;
  }
  bindings.set(db, nativeBinding);
  return db;
}

/**
 * An independent in-memory copy of `source` (same schema level), for previews and flow tests:
 * writes to the copy never reach the file, and later writes to the file do not show in the copy.
 */
export function openSandbox(source: Db): Db {
  const image = source.serialize();
  // A WAL-mode image says so in its header (file format bytes 18/19 = 2); an in-memory database
  // cannot use WAL, so mark the copy as a rollback-journal database before opening it.
  image[18] = 1;
  image[19] = 1;
  const nativeBinding = bindings.get(source);
  const db = new Database(image, { nativeBinding });
  try {
    configure(db, { file: false, busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS });
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = schemaVersion(db);
    if (appId !== APPLICATION_ID || version !== LATEST_SCHEMA_VERSION) {
      throw new Error(
        `openSandbox: source is not a current Flowbench workspace (application_id ${appId}, schema ${version})`,
      );
    }
  } catch (error) {
    db.close();
    throw error;
  }
  bindings.set(db, nativeBinding);
  return db;
}

function configure(
  db: Db,
  { file, busyTimeoutMs }: { file: boolean; busyTimeoutMs: number },
): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (file) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  // Workspace files travel between people: schema code (CHECKs, triggers) may only use
  // innocuous SQL functions.
  db.pragma('trusted_schema = OFF');
}

function inspectFile(
  path: string,
  {
    nativeBinding,
    busyTimeoutMs,
    latest,
  }: { nativeBinding: string | undefined; busyTimeoutMs: number; latest: number },
): FileState {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) {
      throw new WorkspaceOpenError(
        'NOT_SQLITE',
        path,
        `${path} is not a file. Choose a workspace file (*.sqlite) or a new path.`,
      );
    }
    size = stat.size;
  } catch (error) {
    if (error instanceof WorkspaceOpenError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw new WorkspaceOpenError(
      'CANNOT_OPEN',
      path,
      `Cannot read ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  // A zero-byte file is a workspace that was never written, or one whose first transaction
  // still sits in its -wal file; SQLite itself tells those apart below.
  if (size > 0) {
    const header = readHeader(path);
    if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
      throw new WorkspaceOpenError(
        'NOT_SQLITE',
        path,
        `${path} is not a SQLite database, so it cannot be a Flowbench workspace. Choose another file or a new path; this one was not changed.`,
      );
    }
  }

  const probe = openProbe(path, size, { nativeBinding, busyTimeoutMs });
  try {
    return guard(path, () => {
      const problems = (probe.pragma('quick_check(5)') as { quick_check: string }[]).map(
        (r) => r.quick_check,
      );
      if (problems.length !== 1 || problems[0] !== 'ok') throw corrupt(path, problems.join('; '));
      const appId = probe.pragma('application_id', { simple: true }) as number;
      const version = schemaVersion(probe);
      if (appId === APPLICATION_ID) {
        if (version > latest) throw newerVersionError(path, version, latest);
        return { state: 'workspace', version };
      }
      const objects = (
        probe.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }
      ).n;
      if (appId === 0 && version === 0 && objects === 0) return { state: 'empty' };
      throw new WorkspaceOpenError(
        'NOT_A_WORKSPACE',
        path,
        `${path} is a SQLite database of another program, not a Flowbench workspace. Choose another file or a new path; this one was not changed.`,
      );
    });
  } finally {
    probe.close();
  }
}

/** Files up to this size are inspected from an in-memory copy. */
const IN_MEMORY_PROBE_LIMIT = 256 * 1024 * 1024;

/**
 * A read-only connection to inspect an existing file. When no connection is live on it (no -wal,
 * no -journal beside it) the file is read into memory and inspected there, because a read-only
 * SQLite connection to a WAL-mode file would create -wal/-shm files next to it, even when the
 * file is then refused. With a -wal present (another program has it open, or one crashed), the
 * file itself is opened read-only so that the WAL's content is seen.
 */
function openProbe(
  path: string,
  size: number,
  { nativeBinding, busyTimeoutMs }: { nativeBinding: string | undefined; busyTimeoutMs: number },
): Db {
  const live = existsSync(`${path}-wal`) || existsSync(`${path}-journal`);
  if (!live && size > 0 && size <= IN_MEMORY_PROBE_LIMIT) {
    const image = readFileSync(path);
    if (image.length >= 100 && image[18] === 2 && image[19] === 2) {
      image[18] = 1; // as in openSandbox: an in-memory database cannot be in WAL mode
      image[19] = 1;
    }
    return guard(path, () => new Database(image, { readonly: true, nativeBinding }));
  }
  return guard(
    path,
    () =>
      new Database(path, {
        readonly: true,
        fileMustExist: true,
        nativeBinding,
        timeout: busyTimeoutMs,
      }),
  );
}

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(100);
    const read = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function corrupt(path: string, detail: string): WorkspaceOpenError {
  return new WorkspaceOpenError(
    'CORRUPT',
    path,
    `The workspace ${path} is damaged (${detail}). Restore it from a backup or export what you can with the sqlite3 ".recover" command; Flowbench did not change it.`,
  );
}

/** Run `fn`, turning SQLite's low-level failures into typed open errors. */
function guard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof WorkspaceOpenError || !(error instanceof Database.SqliteError))
      throw error;
    const code = error.code;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new WorkspaceOpenError(
        'LOCKED',
        path,
        `The workspace ${path} is locked by another program (another Flowbench window, CLI run or a database tool). Close it and try again.`,
        { cause: error },
      );
    }
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
      throw corrupt(path, error.message);
    throw new WorkspaceOpenError(
      'CANNOT_OPEN',
      path,
      `Cannot open the workspace ${path}: ${error.message}`,
      { cause: error },
    );
  }
}
