import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Handlers } from '../../../src/main/api/handler-types';
import { type EventBus } from '../../../src/main/events/event-bus';
import { openWorkspace } from '../../../src/main/workspace';

/** What the contract suite needs of a workspace: the part of `openWorkspace`'s result it uses. */
export interface TestWorkspace {
  readonly handlers: Handlers;
  readonly events: EventBus;
  close(): void | Promise<void>;
}

/**
 * The workspace every contract test runs against: the real one (store, services, handlers,
 * argon2), on a fresh SQLite file in a temp folder, so the suite checks the adapters over what
 * the app really runs.
 */
export async function openTestWorkspace(): Promise<TestWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'flowbench-contract-'));
  const workspace = openWorkspace({ path: join(dir, 'workspace.flowbench') });
  return {
    handlers: workspace.handlers,
    events: workspace.events,
    close() {
      workspace.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
