import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type JsonValue } from '@shared/model';
import { type ExpressionRuntime, type SimRequest } from '../engine/ports';
import { ContextUserError, engineUser, resolveContextUserNames } from '../engine/users';
import { defaultWorkspacePath } from '../paths';
import { openWorkspace, type Workspace } from '../workspace';
import { type WorkspaceEngine } from './index';

/**
 * What `flowbench plan` and `flowbench run` share: opening the workspace without writing to
 * it, the simulated request, and `--context` (JSON, with `pending_user: <username>`).
 */

export class EngineInputError extends Error {
  override name = 'EngineInputError';
}

/**
 * Open the workspace read-only (the engine then works on a sandbox copy of it). A missing
 * file is an error: plan/run never create the desktop workspace as a side effect.
 */
export function openWorkspaceReadonly(db: string | undefined): { workspace: Workspace; path: string; close(): void } {
  return openExistingWorkspace(db, { readonly: true });
}

/**
 * Open an existing workspace file (`readonly: false` for `flowbench run --apply`, which writes
 * a run's effects to it). A missing file is an error, never created.
 */
export function openExistingWorkspace(
  db: string | undefined,
  options: { readonly: boolean; expressions?: ExpressionRuntime },
): { workspace: Workspace; path: string; close(): void } {
  const path = resolve(db ?? defaultWorkspacePath());
  if (!existsSync(path)) throw new EngineInputError(`there is no workspace at ${path} (give --db FILE)`);
  const workspace = openWorkspace({ path, readonly: options.readonly, expressions: options.expressions });
  return { workspace, path, close: () => workspace.close() };
}

/** `--context JSON`: a JSON object. */
export function parseContextJson(text: string | undefined): Record<string, JsonValue> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EngineInputError(`--context is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EngineInputError('--context must be a JSON object, e.g. {"is_sso": true}');
  return value as Record<string, JsonValue>;
}

/** `pending_user: "<username>"` in a context becomes that user (as the flow-test format does). */
export function resolveContextUsers(engine: WorkspaceEngine, context: Record<string, JsonValue>): Record<string, JsonValue> {
  try {
    return resolveContextUserNames(engine.workspace, context);
  } catch (error) {
    if (error instanceof ContextUserError) throw new EngineInputError(error.message);
    throw error;
  }
}

/** The simulated request: `user` is the session's logged-in user (by username), `ip` the client IP. */
export function simulatedRequest(engine: WorkspaceEngine, options: { user?: string; ip?: string }): SimRequest {
  let sessionUser = null;
  if (options.user !== undefined) {
    const user = engine.workspace.findUsers({ username: options.user })[0];
    if (!user) throw new EngineInputError(`--user: no user named "${options.user}" in this workspace`);
    sessionUser = engineUser(engine.workspace, user);
  }
  return {
    ip: options.ip ?? '127.0.0.1',
    user_agent: 'flowbench',
    query: {},
    geoip: null,
    asn: null,
    session_user: sessionUser,
    session_key: sessionUser ? engine.random.uuid().replaceAll('-', '') : null,
  };
}
