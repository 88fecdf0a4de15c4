import { useQuery } from '../../api/use-query';
import { policyKindLabel } from '../../lib/labels';
import { isSelected, useUiStore } from '../../state/ui-store';
import { SidebarItem } from './SidebarItem';
import { SidebarListState } from './SidebarListState';
import { SidebarSection } from './SidebarSection';

/** The workspace's policies (created by blueprint import or the API), each with its kind. */
export function PolicyList() {
  const policies = useQuery('policies.list');
  const selection = useUiStore((state) => state.selection);
  const select = useUiStore((state) => state.select);
  return (
    <SidebarSection title="Policies" count={policies.data?.length} testId="policies">
      <SidebarListState
        query={policies}
        noun="policies"
        empty="No policies yet. Import a blueprint to bring some in."
      >
        {(items) =>
          items.map((policy) => (
            <SidebarItem
              key={policy.pk}
              testId={`policy-item-${policy.name}`}
              title={`${policy.name} (${policyKindLabel(policy.kind)})`}
              selected={isSelected(selection, 'policy', policy.pk)}
              onSelect={() => select({ kind: 'policy', pk: policy.pk })}
              primary={policy.name}
              secondary={<span className="truncate">{policyKindLabel(policy.kind)}</span>}
            />
          ))
        }
      </SidebarListState>
    </SidebarSection>
  );
}
