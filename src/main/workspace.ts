import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHandlers, type Handlers } from './api';
import { createPasswordHasher, type PasswordHasher } from './auth/passwords';
import { type ExpressionRuntime } from './engine/ports';
import { createEventBus, type EventBus } from './events/event-bus';
import { createServices, type Services } from './services';
import { type Db, openDatabase, openSandbox } from './store';

export interface Workspace {
  /** The file path, or ':memory:' / ':sandbox:' for in-memory databases. */
  readonly path: string;
  readonly db: Db;
  readonly services: Services;
  readonly handlers: Handlers;
  readonly events: EventBus;
  /** Close the connection (idempotent). Pending password hashing finishes without writing. */
  close(): void;
}

export interface OpenWorkspaceOptions {
  /** A file path (its folder is created when missing) or ':memory:'. */
  path: string;
  /** better-sqlite3 native addon path (Electron's ABI build); unset under plain Node. */
  nativeBinding?: string;
  /** Open without writing (no migrations; writes fail). */
  readonly?: boolean;
  /** Injected ports, for tests. */
  hasher?: PasswordHasher;
  clock?: () => Date;
  newPk?: () => string;
  /** The expression runtime the services use (`policies.test`); default: unavailable. */
  expressions?: ExpressionRuntime;
}

/**
 * Open (or create) a workspace and compose everything that works on it: the connection
 * (migrated), the event bus, the services and the contract handlers. Throws a
 * `WorkspaceOpenError` for a file that is not a healthy Flowbench workspace, without touching it.
 */
export function openWorkspace(options: OpenWorkspaceOptions): Workspace {
  const { path } = options;
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path, {
    nativeBinding: options.nativeBinding,
    readonly: options.readonly,
  });
  return compose(db, path, options);
}

/**
 * A workspace over an in-memory copy of `source` (previews, flow tests): same services and
 * handlers, its own event bus; nothing written there reaches the source, and vice versa.
 */
export function openSandboxWorkspace(
  source: Workspace,
  options: Omit<OpenWorkspaceOptions, 'path' | 'nativeBinding' | 'readonly'> = {},
): Workspace {
  const db = openSandbox(source.db);
  return compose(db, ':sandbox:', { hasher: source.services.context.hasher, expressions: source.services.context.expressions, ...options });
}

function compose(db: Db, path: string, options: Omit<OpenWorkspaceOptions, 'path'>): Workspace {
  try {
    const events = createEventBus();
    const services = createServices({
      db,
      events,
      path,
      hasher: options.hasher ?? createPasswordHasher(),
      clock: options.clock,
      newPk: options.newPk,
      expressions: options.expressions,
    });
    const handlers = createHandlers(services);
    return {
      path,
      db,
      services,
      handlers,
      events,
      close() {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
