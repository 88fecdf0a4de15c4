import { type ExportWorkspace } from './workspace-source';
import { exportFromSource } from './export';
import { type ExportOptions, type ExportResult } from './types';
import { readExportSource } from './workspace-source';

/**
 * Export flows (or the whole workspace) as an authentik blueprint in one of three styles; see
 * README.md. Throws an `ExportError` (`UNKNOWN_FLOW`) for a slug the workspace does not have.
 */
export function exportBlueprint(workspace: ExportWorkspace, options: ExportOptions): ExportResult {
  return exportFromSource(readExportSource(workspace), options);
}

export { exportFromSource } from './export';
export { readExportSource } from './workspace-source';
export { EXPORT_STYLES, ExportError, type ExportErrorCode, type ExportOptions, type ExportResult, type ExportSource, type ExportStyle, type ExportedFile } from './types';
export type { StoredBlueprint, StoredBlueprintEntry } from './stored';
export type { WorkspaceSnapshot } from './snapshot';
export type { ExportWorkspace } from './workspace-source';
