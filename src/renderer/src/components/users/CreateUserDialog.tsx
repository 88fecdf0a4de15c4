import { type FormEvent, useState } from 'react';
import { useMutation } from '../../api/use-mutation';
import { useUiStore } from '../../state/ui-store';
import { CheckboxField } from '../common/CheckboxField';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { ProblemMessage } from '../common/ProblemMessage';
import { TextField } from '../common/TextField';

const FIELDS = ['username', 'name', 'email', 'is_active', 'password'];

export function CreateUserDialog() {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const select = useUiStore((state) => state.select);
  const mutation = useMutation(FIELDS, 'username');
  const errors = mutation.problem?.fields ?? {};
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [isActive, setIsActive] = useState(true);
  const [password, setPassword] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const user = await mutation.run(
      (client) =>
        client.call('users.create', {
          username,
          name,
          email,
          is_active: isActive,
          ...(password === '' ? {} : { password }),
        }),
      ['user'],
    );
    if (!user) return;
    select({ kind: 'user', pk: user.pk });
    closeDialog();
  }

  return (
    <Dialog title="New user" onClose={closeDialog} testId="create-user-dialog">
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="dialog-body">
          <ProblemMessage problem={mutation.problem} />
          <TextField
            label="Username"
            name="username"
            value={username}
            onChange={setUsername}
            error={errors.username}
            autoFocus
            autoComplete="off"
            required
          />
          <div className="field-row">
            <TextField
              label="Name"
              name="name"
              value={name}
              onChange={setName}
              error={errors.name}
              autoComplete="off"
            />
            <TextField
              label="Email"
              name="email"
              type="email"
              value={email}
              onChange={setEmail}
              error={errors.email}
              autoComplete="off"
            />
          </div>
          <TextField
            label="Password"
            name="password"
            type="password"
            value={password}
            onChange={setPassword}
            error={errors.password}
            autoComplete="new-password"
            hint="Optional. Stored as an argon2id hash; leave empty for a user without a usable password."
          />
          <CheckboxField
            label="Active"
            name="is_active"
            checked={isActive}
            onChange={setIsActive}
            error={errors.is_active}
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
            {mutation.pending ? 'Creating…' : 'Create user'}
          </button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
