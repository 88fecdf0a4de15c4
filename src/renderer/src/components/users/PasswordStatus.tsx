import { type User } from '@shared/model';
import { useUiStore } from '../../state/ui-store';

function formatDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

/** Whether the user can log in with a password, and the way to change it. */
export function PasswordStatus({ user }: { user: User }) {
  const openDialog = useUiStore((state) => state.openDialog);
  return (
    <div className="password-status">
      <p data-testid="password-status">
        {user.has_usable_password ? (
          <>
            A password is set
            {user.password_change_date && (
              <span className="muted"> (changed {formatDate(user.password_change_date)})</span>
            )}
            .
          </>
        ) : (
          'No usable password: this user cannot log in with a password.'
        )}
      </p>
      <button
        type="button"
        className="button"
        onClick={() => openDialog({ type: 'set-password', pk: user.pk })}
        data-testid="set-password"
      >
        {user.has_usable_password ? 'Change password' : 'Set password'}
      </button>
    </div>
  );
}
