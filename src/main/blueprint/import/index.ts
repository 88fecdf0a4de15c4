import { type ImportReport } from '@shared/contract/blueprint-report';
import { type ImportFile, type ImportOptions } from './run';

export { runImport, writtenForOldBindingDefaults, type ImportFile, type ImportOptions } from './run';
export { formatIssue, hintFor } from './issues';
export { placeholderPk } from './scope';
export { isSecretLookingKey, withoutSecrets } from './values';
export type { ImportPort, StoredBlueprintHead, StoredBlueprintWrite, StoredEntryWrite } from './port';
export type { ImportReport } from '@shared/contract/blueprint-report';

/** What a workspace offers for blueprints (implemented by src/main/services/blueprints.ts). */
export interface BlueprintImporter {
  import(files: readonly ImportFile[], options?: ImportOptions): Promise<ImportReport>;
  validate(files: readonly ImportFile[], options?: Omit<ImportOptions, 'dryRun'>): Promise<ImportReport>;
}

/** Anything holding a workspace's services (a `Workspace`, a sandbox workspace, …). */
export interface WorkspaceWithBlueprints {
  readonly services: { readonly blueprints: BlueprintImporter };
}

/**
 * Import authentik blueprint files into the workspace: every file of the call in one transaction,
 * all or nothing. `options.dryRun` does the same work and rolls it back. Never throws; the
 * report says what happened (or would have) per entry, and every error with its location.
 */
export function importBlueprints(
  workspace: WorkspaceWithBlueprints,
  files: readonly ImportFile[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  return workspace.services.blueprints.import(files, options);
}

/** What importing would do, with nothing written (a dry run). */
export function validateBlueprints(
  workspace: WorkspaceWithBlueprints,
  files: readonly ImportFile[],
  options: Omit<ImportOptions, 'dryRun'> = {},
): Promise<ImportReport> {
  return workspace.services.blueprints.validate(files, options);
}
