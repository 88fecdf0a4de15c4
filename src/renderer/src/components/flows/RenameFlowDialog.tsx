import { type FormEvent, useState } from 'react';
import { type Flow } from '@shared/model';
import { useMutation } from '../../api/use-mutation';
import { useUiStore } from '../../state/ui-store';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { ProblemMessage } from '../common/ProblemMessage';
import { TextField } from '../common/TextField';

/** Change a flow's display name (its slug stays: links and references keep working). */
export function RenameFlowDialog({ flow }: { flow: Flow }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const mutation = useMutation(['name']);
  const [name, setName] = useState(flow.name);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const saved = await mutation.run(
      (client) => client.call('flows.update', { pk: flow.pk, patch: { name } }),
      ['flow'],
    );
    if (saved) closeDialog();
  }

  return (
    <Dialog title="Rename flow" onClose={closeDialog} testId="rename-flow-dialog" size="small">
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="dialog-body">
          <ProblemMessage problem={mutation.problem} />
          <TextField
            label="Name"
            name="name"
            value={name}
            onChange={setName}
            error={mutation.problem?.fields.name}
            hint={`The slug stays ${flow.slug}; change it in the flow's settings.`}
            autoFocus
            required
          />
        </div>
        <DialogFooter>
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={mutation.pending || name === flow.name}
            data-testid="submit"
          >
            Rename
          </button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
