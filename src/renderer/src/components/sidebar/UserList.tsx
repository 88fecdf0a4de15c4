import { useQuery } from '../../api/use-query';
import { isSelected, useUiStore } from '../../state/ui-store';
import { Badge } from '../common/Badge';
import { SidebarItem } from './SidebarItem';
import { SidebarListState } from './SidebarListState';
import { SidebarSection } from './SidebarSection';

export function UserList() {
  const users = useQuery('users.list');
  const selection = useUiStore((state) => state.selection);
  const select = useUiStore((state) => state.select);
  const openDialog = useUiStore((state) => state.openDialog);
  return (
    <SidebarSection
      title="Users"
      count={users.data?.length}
      addLabel="New user"
      onAdd={() => openDialog({ type: 'create-user' })}
      testId="users"
    >
      <SidebarListState
        query={users}
        noun="users"
        empty={
          <>
            No users yet.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => openDialog({ type: 'create-user' })}
            >
              Create a user
            </button>
          </>
        }
      >
        {(items) =>
          items.map((user) => (
            <SidebarItem
              key={user.pk}
              testId={`user-item-${user.username}`}
              title={user.name ? `${user.username} (${user.name})` : user.username}
              selected={isSelected(selection, 'user', user.pk)}
              onSelect={() => select({ kind: 'user', pk: user.pk })}
              primary={user.username}
              trailing={!user.is_active ? <Badge tone="warning">inactive</Badge> : undefined}
              secondary={
                user.name || user.email ? (
                  <span className="truncate">{user.name || user.email}</span>
                ) : undefined
              }
            />
          ))
        }
      </SidebarListState>
    </SidebarSection>
  );
}
