import { type ReactNode } from 'react';
import { useMutation } from '../../api/use-mutation';
import { type DeletableEntity, useUiStore } from '../../state/ui-store';
import { Dialog } from './Dialog';
import { DialogFooter } from './DialogFooter';
import { ProblemMessage } from './ProblemMessage';

const consequences: Record<DeletableEntity, ReactNode> = {
  flow: 'Its stage bindings and their policy bindings are deleted with it. Stages and policies stay, as in authentik.',
  user: 'Policy bindings that name this user are deleted with it.',
  group:
    'Members stay; child groups lose their parent; policy bindings that name this group are deleted.',
};

interface ConfirmDeleteDialogProps {
  entity: DeletableEntity;
  pk: string | number;
  label: string;
}

/** Asks before deleting a flow, user or group, then deletes it and clears the selection. */
export function ConfirmDeleteDialog({ entity, pk, label }: ConfirmDeleteDialogProps) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const select = useUiStore((state) => state.select);
  const mutation = useMutation();

  async function confirm() {
    const done = await mutation.run(
      async (client) => {
        if (entity === 'flow') await client.call('flows.delete', { pk: String(pk) });
        else if (entity === 'user') await client.call('users.delete', { pk: Number(pk) });
        else await client.call('groups.delete', { pk: String(pk) });
        // Deselect before the lists refetch, so the pane never shows "no longer exists".
        const { selection } = useUiStore.getState();
        if (selection && selection.kind === entity && selection.pk === pk) select(null);
        return true;
      },
      [entity],
    );
    if (done) closeDialog();
  }

  return (
    <Dialog
      title={`Delete ${entity}`}
      onClose={closeDialog}
      testId="confirm-delete-dialog"
      size="small"
    >
      <div className="dialog-body">
        <p>
          Delete {entity} <strong className="break-anywhere">{label}</strong>? This cannot be
          undone.
        </p>
        <p className="muted">{consequences[entity]}</p>
        <ProblemMessage problem={mutation.problem} />
      </div>
      <DialogFooter>
        <button type="button" className="button" onClick={closeDialog} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => void confirm()}
          disabled={mutation.pending}
          data-testid="confirm-delete"
        >
          {mutation.pending ? 'Deleting…' : `Delete ${entity}`}
        </button>
      </DialogFooter>
    </Dialog>
  );
}
