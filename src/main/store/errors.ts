import { RpcFailure } from '@shared/contract';

/** Why a workspace file could not be opened. Every code comes with a message saying what to do. */
export type WorkspaceOpenErrorCode =
  | 'NOT_SQLITE'
  | 'CORRUPT'
  | 'NOT_A_WORKSPACE'
  | 'NEWER_VERSION'
  | 'LOCKED'
  /** Opened read-only, but the file needs migrations that only a writable open may apply. */
  | 'NEEDS_UPGRADE'
  /** Opened read-only, but there is no file at that path. */
  | 'MISSING'
  /** The operating system or SQLite refused to open the file (permissions, I/O error, …). */
  | 'CANNOT_OPEN';

/**
 * Thrown by `openDatabase` / `openWorkspace` before any handler exists. A file that raised one
 * of these has not been written to.
 */
export class WorkspaceOpenError extends Error {
  constructor(
    readonly code: WorkspaceOpenErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkspaceOpenError';
  }
}

/**
 * A stored row that does not parse with the shared model (hand-edited file, a kind removed
 * from the registry, …). It is an `RpcFailure` with code `STORE_ERROR`, so it crosses the
 * transports as an envelope naming table, pk and column.
 */
export class StoreError extends RpcFailure {
  constructor(
    readonly table: string,
    readonly pk: string | number,
    readonly column: string,
    readonly detail: string,
  ) {
    super(
      'STORE_ERROR',
      `Stored ${table} row ${JSON.stringify(pk)} has an invalid ${column}: ${detail}`,
    );
    this.name = 'StoreError';
  }
}
