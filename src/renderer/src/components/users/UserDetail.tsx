import { type User } from '@shared/model';
import { useUiStore } from '../../state/ui-store';
import { Badge } from '../common/Badge';
import { DetailHeader } from '../common/DetailHeader';
import { Section } from '../common/Section';
import { PasswordStatus } from './PasswordStatus';
import { UserForm } from './UserForm';

export function UserDetail({ user }: { user: User }) {
  const openDialog = useUiStore((state) => state.openDialog);
  return (
    <article className="detail" data-testid="user-detail">
      <DetailHeader
        kind="User"
        title={user.username}
        meta={
          <>
            <span className="mono">#{user.pk}</span>
            {user.name && <span className="truncate">{user.name}</span>}
            {!user.is_active && <Badge tone="warning">inactive</Badge>}
          </>
        }
        actions={
          <button
            type="button"
            className="button button-danger-quiet"
            onClick={() =>
              openDialog({ type: 'delete', entity: 'user', pk: user.pk, label: user.username })
            }
            data-testid="delete-user"
          >
            Delete
          </button>
        }
      />
      <Section title="Profile">
        <UserForm key={user.pk} user={user} />
      </Section>
      <Section title="Password">
        <PasswordStatus user={user} />
      </Section>
    </article>
  );
}
