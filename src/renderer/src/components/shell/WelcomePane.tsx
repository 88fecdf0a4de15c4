import { useQuery } from '../../api/use-query';
import { useUiStore } from '../../state/ui-store';
import { EmptyState } from '../common/EmptyState';

/** The main pane with nothing selected: a first step for an empty workspace, else a hint. */
export function WelcomePane() {
  const flows = useQuery('flows.list');
  const openDialog = useUiStore((state) => state.openDialog);
  if (flows.data !== undefined && flows.data.length === 0) {
    return (
      <EmptyState
        title="This workspace has no flows yet"
        testId="welcome-empty"
        action={
          <button
            type="button"
            className="button button-primary"
            onClick={() => openDialog({ type: 'create-flow' })}
          >
            Create your first flow
          </button>
        }
      >
        A flow is a sequence of stages (identification, password, login…) that authentik runs for
        one purpose: log in, enrol, recover a password.
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Nothing selected" testId="welcome">
      Pick a flow, user or group in the sidebar to see and edit it.
    </EmptyState>
  );
}
