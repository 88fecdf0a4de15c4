import { type JsonValue } from '@shared/model';
import { type Workspace } from '../../workspace';

/** What export reads: the connection (one read transaction) and the services. */
export type ExportWorkspace = Pick<Workspace, 'db' | 'services'>;
import { type BlueprintDocument, type BlueprintMapping } from '../yaml';
import { type WorkspaceSnapshot } from './snapshot';
import { type StoredBlueprint, type StoredBlueprintEntry } from './stored';
import { type ExportSource } from './types';

/**
 * Reads what an export needs from a workspace in one read transaction, so the objects and the
 * stored blueprints are one consistent state.
 */
export function readExportSource(workspace: ExportWorkspace): ExportSource {
  const read = () => ({ snapshot: readSnapshot(workspace), blueprints: readStoredBlueprints(workspace) });
  return workspace.db.inTransaction ? read() : workspace.db.transaction(read).deferred();
}

/** Every object, through the services (the same reads the app makes). */
export function readSnapshot(workspace: ExportWorkspace): WorkspaceSnapshot {
  const { services } = workspace;
  const flows = services.flows.list();
  const bindings = flows.flatMap((flow) => services.bindings.list(flow.pk));
  const targets = [...flows.map((flow) => flow.pk), ...bindings.map((binding) => binding.pk)];
  return {
    flows,
    stages: services.stages.list(),
    bindings,
    policies: services.policies.list(),
    policyBindings: targets.flatMap((target) => services.policyBindings.list(target)),
    prompts: services.prompts.list(),
    groups: services.groups.list(),
    users: services.users.list(),
  };
}

/** The imported blueprints with their entry rows, through the blueprint service. */
export function readStoredBlueprints(workspace: ExportWorkspace): StoredBlueprint[] {
  const { blueprints } = workspace.services;
  return blueprints.list().map((head): StoredBlueprint => {
    const stored = blueprints.get(head.pk);
    return {
      pk: stored.pk,
      name: stored.name,
      sourceName: stored.sourceName,
      document: stored.document as unknown as BlueprintDocument,
      importedAt: stored.importedAt,
      entries: stored.entries.map(
        (row): StoredBlueprintEntry => ({
          idx: row.idx,
          model: row.model,
          objectPk: row.objectPk,
          snapshot: row.snapshot as Record<string, JsonValue> | null,
          unknownAttrs: row.unknownAttrs as BlueprintMapping | null,
        }),
      ),
    };
  });
}
