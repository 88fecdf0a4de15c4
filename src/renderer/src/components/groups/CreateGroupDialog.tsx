import { type FormEvent, useState } from 'react';
import { useMutation } from '../../api/use-mutation';
import { useQuery } from '../../api/use-query';
import { NO_PARENT, parentOptions } from '../../lib/group-tree';
import { useUiStore } from '../../state/ui-store';
import { CheckboxField } from '../common/CheckboxField';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { ProblemMessage } from '../common/ProblemMessage';
import { SelectField } from '../common/SelectField';
import { TextField } from '../common/TextField';

export function CreateGroupDialog() {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const select = useUiStore((state) => state.select);
  const groups = useQuery('groups.list');
  const mutation = useMutation(['name', 'parent', 'is_superuser'], 'name');
  const errors = mutation.problem?.fields ?? {};
  const [name, setName] = useState('');
  const [parent, setParent] = useState(NO_PARENT);
  const [isSuperuser, setIsSuperuser] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const group = await mutation.run(
      (client) =>
        client.call('groups.create', {
          name,
          parent: parent === NO_PARENT ? null : parent,
          is_superuser: isSuperuser,
        }),
      ['group'],
    );
    if (!group) return;
    select({ kind: 'group', pk: group.pk });
    closeDialog();
  }

  return (
    <Dialog title="New group" onClose={closeDialog} testId="create-group-dialog">
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="dialog-body">
          <ProblemMessage problem={mutation.problem} />
          <TextField
            label="Name"
            name="name"
            value={name}
            onChange={setName}
            error={errors.name}
            autoFocus
            autoComplete="off"
            required
          />
          <SelectField
            label="Parent"
            name="parent"
            value={parent}
            options={parentOptions(groups.data ?? [], null)}
            onChange={setParent}
            error={errors.parent}
          />
          <CheckboxField
            label="Superuser"
            name="is_superuser"
            checked={isSuperuser}
            onChange={setIsSuperuser}
            error={errors.is_superuser}
          />
        </div>
        <DialogFooter>
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={mutation.pending}
            data-testid="submit"
          >
            {mutation.pending ? 'Creating…' : 'Create group'}
          </button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
