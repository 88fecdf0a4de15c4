import { type FormEvent, useState } from 'react';
import { type User } from '@shared/model';
import { useMutation } from '../../api/use-mutation';
import { useUiStore } from '../../state/ui-store';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { ProblemMessage } from '../common/ProblemMessage';
import { TextField } from '../common/TextField';

/** Set a new password (hashed in main), or make the password unusable. */
export function SetPasswordDialog({ user }: { user: User }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const mutation = useMutation(['password']);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm !== '' && confirm !== password;

  async function save(next: string | null) {
    const saved = await mutation.run(
      (client) => client.call('users.setPassword', { pk: user.pk, password: next }),
      ['user'],
    );
    if (saved) closeDialog();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (password === '' || password !== confirm) return;
    void save(password);
  }

  return (
    <Dialog
      title={`Password for ${user.username}`}
      onClose={closeDialog}
      testId="set-password-dialog"
      size="small"
    >
      <form className="dialog-form" onSubmit={submit} noValidate>
        <div className="dialog-body">
          <ProblemMessage problem={mutation.problem} />
          <TextField
            label="New password"
            name="password"
            type="password"
            value={password}
            onChange={setPassword}
            error={mutation.problem?.fields.password}
            autoComplete="new-password"
            autoFocus
            required
          />
          <TextField
            label="Repeat password"
            name="confirm"
            type="password"
            value={confirm}
            onChange={setConfirm}
            error={mismatch ? 'The passwords do not match.' : undefined}
            autoComplete="new-password"
            required
          />
        </div>
        <DialogFooter>
          {user.has_usable_password && (
            <button
              type="button"
              className="button button-danger-quiet footer-start"
              onClick={() => void save(null)}
              disabled={mutation.pending}
              data-testid="unset-password"
            >
              Make unusable
            </button>
          )}
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={mutation.pending || password === '' || password !== confirm}
            data-testid="submit"
          >
            Set password
          </button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
