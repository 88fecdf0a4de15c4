import { randomUUID } from 'node:crypto';
import { type EventPayload } from '@shared/contract';
import { type PasswordHasher } from '../auth/passwords';
import { unavailableExpressionRuntime } from '../engine/policy';
import { type ExpressionRuntime } from '../engine/ports';
import { type EventBus } from '../events/event-bus';
import { type Db } from '../store/db';

export type Change = EventPayload<'workspace.changed'>;
export type RecordChange = (
  entity: Change['entity'],
  action: Change['action'],
  pk: Change['pk'],
) => void;

/** What every service gets: the connection, a unit of work, and the injected ports. */
export interface ServiceContext {
  readonly db: Db;
  /** Where the workspace lives (':memory:' or a sandbox marker for in-memory copies). */
  readonly path: string;
  readonly hasher: PasswordHasher;
  readonly clock: () => Date;
  readonly newPk: () => string;
  /** Runs expression policies for the services that evaluate policies (`policies.test`). */
  readonly expressions: ExpressionRuntime;
  /**
   * Run `fn` in one write transaction (BEGIN IMMEDIATE, or a savepoint when nested) and emit the
   * changes it recorded on the event bus after the outermost commit, never after a rollback.
   */
  write<T>(fn: (record: RecordChange) => T): T;
  /**
   * A savepoint inside the current unit of work, for a caller that lets every throw out of `fn`
   * roll the whole savepoint back (the blueprint importer's one-entry savepoint). A `write`
   * made directly inside `fn` then runs in this savepoint instead of opening its own: on a
   * throw, both would be rolled back together anyway. Writes below those get their own again.
   */
  writeAtomically<T>(fn: () => T): T;
}

/** Options of a service's create and update beyond the input itself (not reachable through the contract). */
export interface WriteOptions {
  /**
   * true (default): return the object as read back from its row. false: return the object as
   * validated and written, without reading the row back — for the blueprint importer, which
   * needs the pk and keeps the object for the snapshot it takes at the end (reading the row
   * back would give an equal object; see WrittenObjects in blueprints.ts).
   */
  readBack?: boolean;
}

/** Options of a service's create. */
export interface CreateOptions extends WriteOptions {
  /** Keep this pk (blueprint import); otherwise a random UUID. */
  pk?: string;
}

export interface ServiceContextOptions {
  db: Db;
  events: EventBus;
  hasher: PasswordHasher;
  path: string;
  clock?: () => Date;
  newPk?: () => string;
  /**
   * The Python expression runtime (`policies.test`). Default: the runtime that reports itself
   * unavailable (every expression policy fails with a clear note). The composition roots (app,
   * `flowbench serve`, the CLI) pass the real one through `openWorkspace({ expressions })`.
   */
  expressions?: ExpressionRuntime;
}

export function createServiceContext(options: ServiceContextOptions): ServiceContext {
  const { db, events } = options;
  let pending: Change[] | null = null;
  const record: RecordChange = (entity, action, pk) => {
    if (!pending) throw new Error('a change was recorded outside its unit of work');
    pending.push({ entity, action, pk });
  };
  // One transaction function for every unit of work: better-sqlite3 builds four wrappers per
  // `db.transaction()` call, and it uses a savepoint by itself when a transaction is open.
  const transaction = db.transaction(<T>(fn: (record: RecordChange) => T): T => fn(record));

  /** The current savepoint is a `writeAtomically` one and no write has been opened inside it. */
  let atomic = false;

  function write<T>(fn: (record: RecordChange) => T): T {
    if (pending && atomic) {
      // Rolled back with the enclosing savepoint on any throw; changes join it directly.
      atomic = false;
      try {
        return fn(record);
      } finally {
        atomic = true;
      }
    }
    if (pending) {
      // Nested: a savepoint; its changes join the outer unit only if it succeeds.
      const outer = pending;
      const inner: Change[] = [];
      pending = inner;
      try {
        const result = transaction(fn) as T;
        outer.push(...inner);
        return result;
      } finally {
        pending = outer;
      }
    }
    const changes: Change[] = [];
    pending = changes;
    let result: T;
    try {
      result = transaction.immediate(fn) as T;
    } finally {
      pending = null;
    }
    for (const change of changes) events.emit('workspace.changed', change);
    return result;
  }

  function writeAtomically<T>(fn: () => T): T {
    if (!pending) throw new Error('writeAtomically needs an enclosing unit of work');
    const outer = atomic;
    // This one always gets a savepoint of its own: its caller may catch and go on.
    atomic = false;
    try {
      return write(() => {
        atomic = true;
        try {
          return fn();
        } finally {
          atomic = false;
        }
      });
    } finally {
      atomic = outer;
    }
  }

  return {
    db,
    path: options.path,
    hasher: options.hasher,
    clock: options.clock ?? (() => new Date()),
    newPk: options.newPk ?? randomUUID,
    expressions: options.expressions ?? unavailableExpressionRuntime,
    write,
    writeAtomically,
  };
}
