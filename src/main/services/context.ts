import { randomUUID } from 'node:crypto';
import { type EventPayload } from '@shared/contract';
import { type PasswordHasher } from '../auth/passwords';
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
  /**
   * Run `fn` in one write transaction (BEGIN IMMEDIATE, or a savepoint when nested) and emit the
   * changes it recorded on the event bus after the outermost commit, never after a rollback.
   */
  write<T>(fn: (record: RecordChange) => T): T;
}

export interface ServiceContextOptions {
  db: Db;
  events: EventBus;
  hasher: PasswordHasher;
  path: string;
  clock?: () => Date;
  newPk?: () => string;
}

export function createServiceContext(options: ServiceContextOptions): ServiceContext {
  const { db, events } = options;
  let pending: Change[] | null = null;

  function write<T>(fn: (record: RecordChange) => T): T {
    const record: RecordChange = (entity, action, pk) => {
      if (!pending) throw new Error('a change was recorded outside its unit of work');
      pending.push({ entity, action, pk });
    };
    if (pending) {
      // Nested: a savepoint; its changes join the outer unit only if it succeeds.
      const outer = pending;
      const inner: Change[] = [];
      pending = inner;
      try {
        const result = db.transaction(() => fn(record))();
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
      result = db.transaction(() => fn(record)).immediate();
    } finally {
      pending = null;
    }
    for (const change of changes) events.emit('workspace.changed', change);
    return result;
  }

  return {
    db,
    path: options.path,
    hasher: options.hasher,
    clock: options.clock ?? (() => new Date()),
    newPk: options.newPk ?? randomUUID,
    write,
  };
}
