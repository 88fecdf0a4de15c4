import { type FormEvent } from 'react';
import { type Group } from '@shared/model';
import { useMutation } from '../../api/use-mutation';
import { useQuery } from '../../api/use-query';
import { NO_PARENT, parentOptions } from '../../lib/group-tree';
import { fieldProps, useDraft } from '../../lib/use-draft';
import { CheckboxField } from '../common/CheckboxField';
import { FormActions } from '../common/FormActions';
import { ProblemMessage } from '../common/ProblemMessage';
import { SelectField } from '../common/SelectField';
import { TextField } from '../common/TextField';

const FIELDS = ['name', 'parent', 'is_superuser'];

export function GroupForm({ group }: { group: Group }) {
  const draft = useDraft({
    name: group.name,
    parent: group.parent,
    is_superuser: group.is_superuser,
  });
  const groups = useQuery('groups.list');
  const mutation = useMutation(FIELDS, 'name');
  const errors = mutation.problem?.fields ?? {};
  const value = draft.value;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft.dirty) return;
    await mutation.run(
      (client) => client.call('groups.update', { pk: group.pk, patch: draft.changes }),
      ['group'],
    );
  }

  return (
    <form
      className="form"
      onSubmit={(event) => void save(event)}
      noValidate
      data-testid="group-form"
    >
      <ProblemMessage problem={mutation.problem} />
      <div className="form-grid">
        <TextField
          label="Name"
          {...fieldProps(draft, 'name', errors)}
          autoComplete="off"
          required
        />
        <SelectField
          label="Parent"
          name="parent"
          value={value.parent ?? NO_PARENT}
          options={parentOptions(groups.data ?? [], group.pk)}
          onChange={(v) => draft.set('parent', v === NO_PARENT ? null : v)}
          error={errors.parent}
          hint="Members of this group also count as members of its parents."
        />
        <CheckboxField
          label="Superuser"
          name="is_superuser"
          checked={value.is_superuser}
          onChange={(v) => draft.set('is_superuser', v)}
          error={errors.is_superuser}
          hint="Members get every permission; flows requiring a superuser accept them."
        />
      </div>
      <FormActions
        dirty={draft.dirty}
        pending={mutation.pending}
        onRevert={() => {
          draft.reset();
          mutation.clear();
        }}
      />
    </form>
  );
}
