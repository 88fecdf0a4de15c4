import { type ProcedureOutput } from '@shared/contract';
import { schemaVersion } from '../store/migrate';
import { countObjects } from '../store/repos/workspace-meta';
import { type ServiceContext } from './context';
import { mapSqliteErrors } from './errors';

export interface WorkspaceService {
  info(): ProcedureOutput<'workspace.info'>;
}

export function createWorkspaceService(ctx: ServiceContext): WorkspaceService {
  return {
    info: () =>
      mapSqliteErrors(() => ({
        path: ctx.path,
        schema_version: schemaVersion(ctx.db),
        counts: countObjects(ctx.db),
      })),
  };
}
