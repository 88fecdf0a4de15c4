import { type FormEvent } from 'react';
import { type User } from '@shared/model';
import { useMutation } from '../../api/use-mutation';
import { useQuery } from '../../api/use-query';
import { userTypeOptions } from '../../lib/options';
import { fieldProps, useDraft } from '../../lib/use-draft';
import { CheckboxField } from '../common/CheckboxField';
import { CheckboxListField } from '../common/CheckboxListField';
import { FormActions } from '../common/FormActions';
import { ProblemMessage } from '../common/ProblemMessage';
import { SelectField } from '../common/SelectField';
import { TextField } from '../common/TextField';

const FIELDS = ['username', 'name', 'email', 'is_active', 'type', 'path', 'groups'];

function editable(user: User) {
  return {
    username: user.username,
    name: user.name,
    email: user.email,
    is_active: user.is_active,
    type: user.type,
    path: user.path,
    groups: user.groups,
  };
}

/** A user's editable fields; the password has its own dialog. */
export function UserForm({ user }: { user: User }) {
  const draft = useDraft(editable(user));
  const groups = useQuery('groups.list');
  const mutation = useMutation(FIELDS, 'username');
  const errors = mutation.problem?.fields ?? {};
  const value = draft.value;
  const groupOptions = (groups.data ?? []).map((group) => ({ value: group.pk, label: group.name }));

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft.dirty) return;
    await mutation.run(
      (client) => client.call('users.update', { pk: user.pk, patch: draft.changes }),
      ['user'],
    );
  }

  return (
    <form
      className="form"
      onSubmit={(event) => void save(event)}
      noValidate
      data-testid="user-form"
    >
      <ProblemMessage problem={mutation.problem} />
      <div className="form-grid">
        <TextField
          label="Username"
          {...fieldProps(draft, 'username', errors)}
          autoComplete="off"
          required
        />
        <TextField label="Name" {...fieldProps(draft, 'name', errors)} autoComplete="off" />
        <TextField
          label="Email"
          {...fieldProps(draft, 'email', errors)}
          type="email"
          autoComplete="off"
        />
        <SelectField
          label="Type"
          {...fieldProps(draft, 'type', errors)}
          options={userTypeOptions}
        />
        <TextField
          label="Path"
          {...fieldProps(draft, 'path', errors)}
          monospace
          hint="Folder-like path, e.g. users or goauthentik.io/sources/ldap."
        />
        <CheckboxField
          label="Active"
          name="is_active"
          checked={value.is_active}
          onChange={(v) => draft.set('is_active', v)}
          error={errors.is_active}
          hint="Inactive users cannot log in."
        />
        <CheckboxListField
          label="Groups"
          name="groups"
          options={groupOptions}
          value={value.groups}
          onChange={(v) => draft.set('groups', v)}
          error={errors.groups}
          empty="No groups in this workspace yet."
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
