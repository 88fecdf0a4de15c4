import { useQuery } from '../../api/use-query';
import { useUiStore } from '../../state/ui-store';
import { ExportBlueprintDialog } from '../blueprints/ExportBlueprintDialog';
import { ImportBlueprintDialog } from '../blueprints/ImportBlueprintDialog';
import { ConfirmDeleteDialog } from '../common/ConfirmDeleteDialog';
import { CreateFlowDialog } from '../flows/CreateFlowDialog';
import { DuplicateFlowDialog } from '../flows/DuplicateFlowDialog';
import { RenameFlowDialog } from '../flows/RenameFlowDialog';
import { CreateGroupDialog } from '../groups/CreateGroupDialog';
import { CreateUserDialog } from '../users/CreateUserDialog';
import { SetPasswordDialog } from '../users/SetPasswordDialog';

/** Renders the one open dialog, looking up the record it names. */
export function DialogHost() {
  const dialog = useUiStore((state) => state.dialog);
  const needsFlow = dialog?.type === 'rename-flow' || dialog?.type === 'duplicate-flow';
  const flows = useQuery('flows.list', needsFlow ? undefined : null);
  const users = useQuery('users.list', dialog?.type === 'set-password' ? undefined : null);

  switch (dialog?.type) {
    case undefined:
      return null;
    case 'create-flow':
      return <CreateFlowDialog />;
    case 'rename-flow':
    case 'duplicate-flow': {
      const flow = flows.data?.find((f) => f.pk === dialog.pk);
      if (!flow) return null;
      return dialog.type === 'rename-flow' ? (
        <RenameFlowDialog flow={flow} />
      ) : (
        <DuplicateFlowDialog flow={flow} />
      );
    }
    case 'create-user':
      return <CreateUserDialog />;
    case 'set-password': {
      const user = users.data?.find((u) => u.pk === dialog.pk);
      return user ? <SetPasswordDialog user={user} /> : null;
    }
    case 'create-group':
      return <CreateGroupDialog />;
    case 'delete':
      return <ConfirmDeleteDialog entity={dialog.entity} pk={dialog.pk} label={dialog.label} />;
    case 'import-blueprint':
      return <ImportBlueprintDialog key={dialog.batch} files={dialog.files} notes={dialog.notes} />;
    case 'export-blueprint':
      return <ExportBlueprintDialog flows={dialog.flows} />;
  }
}
