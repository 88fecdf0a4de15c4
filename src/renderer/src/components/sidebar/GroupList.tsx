import { useQuery } from '../../api/use-query';
import { isSelected, useUiStore } from '../../state/ui-store';
import { Badge } from '../common/Badge';
import { SidebarItem } from './SidebarItem';
import { SidebarListState } from './SidebarListState';
import { SidebarSection } from './SidebarSection';

export function GroupList() {
  const groups = useQuery('groups.list');
  const selection = useUiStore((state) => state.selection);
  const select = useUiStore((state) => state.select);
  const openDialog = useUiStore((state) => state.openDialog);
  const names = new Map((groups.data ?? []).map((group) => [group.pk, group.name]));
  return (
    <SidebarSection
      title="Groups"
      count={groups.data?.length}
      addLabel="New group"
      onAdd={() => openDialog({ type: 'create-group' })}
      testId="groups"
    >
      <SidebarListState
        query={groups}
        noun="groups"
        empty={
          <>
            No groups yet.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => openDialog({ type: 'create-group' })}
            >
              Create a group
            </button>
          </>
        }
      >
        {(items) =>
          items.map((group) => (
            <SidebarItem
              key={group.pk}
              testId={`group-item-${group.name}`}
              title={group.name}
              selected={isSelected(selection, 'group', group.pk)}
              onSelect={() => select({ kind: 'group', pk: group.pk })}
              primary={group.name}
              trailing={group.is_superuser ? <Badge tone="accent">superuser</Badge> : undefined}
              secondary={
                group.parent ? (
                  <span className="truncate">in {names.get(group.parent) ?? 'unknown group'}</span>
                ) : undefined
              }
            />
          ))
        }
      </SidebarListState>
    </SidebarSection>
  );
}
