import { useQuery } from '../../api/use-query';
import { useUiStore } from '../../state/ui-store';

/** The users whose `groups` include this group (edited from each user). */
export function GroupMembers({ groupPk }: { groupPk: string }) {
  const users = useQuery('users.list');
  const select = useUiStore((state) => state.select);
  if (users.data === undefined)
    return (
      <p className="muted">
        {users.status === 'error' ? users.error?.message : 'Loading members…'}
      </p>
    );
  const members = users.data.filter((user) => user.groups.includes(groupPk));
  if (members.length === 0)
    return <p className="muted">No members. Add users to this group from a user’s profile.</p>;
  return (
    <ul className="chip-list" data-testid="group-members">
      {members.map((user) => (
        <li key={user.pk}>
          <button
            type="button"
            className="chip"
            onClick={() => select({ kind: 'user', pk: user.pk })}
          >
            {user.username}
          </button>
        </li>
      ))}
    </ul>
  );
}
