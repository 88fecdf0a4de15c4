import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Client, createClient } from '@shared/contract';
import { defaultWorkspacePath } from '../paths';
import { createDispatcher } from '../transport/dispatcher';
import { createInProcessTransport } from '../transport/in-process';
import { openWorkspace, type Workspace } from '../workspace';

/**
 * CLI commands talk to the workspace through the same contract as the app (in-process
 * transport), so their input is validated by the same zod schemas and they get the same errors.
 */
export interface CliWorkspace {
  readonly path: string;
  readonly client: Client;
  close(): void;
}

export function openCliWorkspace(db: string | undefined, options: { inMemoryIfMissing?: boolean } = {}): CliWorkspace {
  const path = resolve(db ?? defaultWorkspacePath());
  // `validate` must not create the desktop workspace as a side effect of looking at a file.
  const target = options.inMemoryIfMissing && !existsSync(path) ? ':memory:' : path;
  const workspace: Workspace = openWorkspace({ path: target });
  const client = createClient(createInProcessTransport(createDispatcher(workspace.handlers), workspace.events));
  return { path: target, client, close: () => workspace.close() };
}
