import { useQuery } from '../../api/use-query';
import { openBlueprintPicker } from '../../lib/start-import';
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
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              onClick={() => openDialog({ type: 'create-flow' })}
            >
              Create your first flow
            </button>
            <button type="button" className="button" onClick={openBlueprintPicker}>
              Import a blueprint…
            </button>
          </div>
        }
      >
        A flow is a sequence of stages (identification, password, login…) that authentik runs for
        one purpose: log in, enrol, recover a password. Or import authentik blueprint files: pick
        them, or drop them onto the window.
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Nothing selected" testId="welcome">
      Pick a flow, user or group in the sidebar to see and edit it.
    </EmptyState>
  );
}
