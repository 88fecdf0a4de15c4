import { useQuery } from '../../api/use-query';
import { authenticationLabels, authenticationShort, label } from '../../lib/labels';
import { isSelected, useUiStore } from '../../state/ui-store';
import { DesignationBadge } from '../common/DesignationBadge';
import { SidebarItem } from './SidebarItem';
import { SidebarListState } from './SidebarListState';
import { SidebarSection } from './SidebarSection';

/** Flows ordered by slug (authentik's order), with designation and authentication requirement. */
export function FlowList() {
  const flows = useQuery('flows.list');
  const selection = useUiStore((state) => state.selection);
  const select = useUiStore((state) => state.select);
  const openDialog = useUiStore((state) => state.openDialog);
  const sorted = flows.data
    ? [...flows.data].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    : undefined;
  return (
    <SidebarSection
      title="Flows"
      count={flows.data?.length}
      addLabel="New flow"
      onAdd={() => openDialog({ type: 'create-flow' })}
      testId="flows"
    >
      <SidebarListState
        query={{ ...flows, data: sorted }}
        noun="flows"
        empty={
          <>
            No flows yet.{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => openDialog({ type: 'create-flow' })}
            >
              Create a flow
            </button>
          </>
        }
      >
        {(items) =>
          items.map((flow) => (
            <SidebarItem
              key={flow.pk}
              testId={`flow-item-${flow.slug}`}
              title={`${flow.name} (${flow.slug})`}
              selected={isSelected(selection, 'flow', flow.pk)}
              onSelect={() => select({ kind: 'flow', pk: flow.pk })}
              primary={flow.name}
              trailing={<DesignationBadge designation={flow.designation} compact />}
              secondary={
                <>
                  <span className="mono truncate">{flow.slug}</span>
                  <span
                    className="sidebar-item-auth"
                    title={label(authenticationLabels, flow.authentication)}
                  >
                    {label(authenticationShort, flow.authentication)}
                  </span>
                </>
              }
            />
          ))
        }
      </SidebarListState>
    </SidebarSection>
  );
}
