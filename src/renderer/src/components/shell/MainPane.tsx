import { useQuery } from '../../api/use-query';
import { useUiStore } from '../../state/ui-store';
import { EmptyState } from '../common/EmptyState';
import { FlowDetail } from '../flows/FlowDetail';
import { GroupDetail } from '../groups/GroupDetail';
import { PolicyDetail } from '../policies/PolicyDetail';
import { UserDetail } from '../users/UserDetail';
import { WelcomePane } from './WelcomePane';

function Gone({ noun }: { noun: string }) {
  const select = useUiStore((state) => state.select);
  return (
    <EmptyState
      title={`This ${noun} no longer exists`}
      action={
        <button type="button" className="button" onClick={() => select(null)}>
          Close
        </button>
      }
    >
      It was deleted, maybe from another window.
    </EmptyState>
  );
}

/** Shows the selected item, read from the same lists as the sidebar. */
export function MainPane() {
  const selection = useUiStore((state) => state.selection);
  const flows = useQuery('flows.list', selection?.kind === 'flow' ? undefined : null);
  const users = useQuery('users.list', selection?.kind === 'user' ? undefined : null);
  const groups = useQuery('groups.list', selection?.kind === 'group' ? undefined : null);
  const policies = useQuery('policies.list', selection?.kind === 'policy' ? undefined : null);

  let content;
  if (selection === null) {
    content = <WelcomePane />;
  } else if (selection.kind === 'flow') {
    const flow = flows.data?.find((f) => f.pk === selection.pk);
    content = flow ? (
      <FlowDetail flow={flow} />
    ) : flows.data && !flows.refreshing ? (
      <Gone noun="flow" />
    ) : null;
  } else if (selection.kind === 'user') {
    const user = users.data?.find((u) => u.pk === selection.pk);
    content = user ? (
      <UserDetail user={user} />
    ) : users.data && !users.refreshing ? (
      <Gone noun="user" />
    ) : null;
  } else if (selection.kind === 'policy') {
    const policy = policies.data?.find((p) => p.pk === selection.pk);
    content = policy ? (
      <PolicyDetail key={policy.pk} policy={policy} />
    ) : policies.data && !policies.refreshing ? (
      <Gone noun="policy" />
    ) : null;
  } else {
    const group = groups.data?.find((g) => g.pk === selection.pk);
    const parentName = group?.parent
      ? (groups.data?.find((g) => g.pk === group.parent)?.name ?? null)
      : null;
    content = group ? (
      <GroupDetail group={group} parentName={parentName} />
    ) : groups.data && !groups.refreshing ? (
      <Gone noun="group" />
    ) : null;
  }
  return (
    <main className="main-pane" data-testid="main-pane">
      {content}
    </main>
  );
}
