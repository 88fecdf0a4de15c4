import { useQuery } from '../../api/use-query';
import { BlueprintPicker } from '../blueprints/BlueprintPicker';
import { DropOverlay } from '../blueprints/DropOverlay';
import { Sidebar } from '../sidebar/Sidebar';
import { AppHeader } from './AppHeader';
import { ConnectionBanner } from './ConnectionBanner';
import { DialogHost } from './DialogHost';
import { MainPane } from './MainPane';
import { NoticeHost } from './NoticeHost';

/**
 * The frame: header, connection banner, sidebar and main pane, plus what floats above them
 * (dialogs, the blueprint drop overlay, notices). `data-ready` turns true once
 * the three lists have answered (data or error), the signal e2e tests wait on.
 */
export function AppShell() {
  const flows = useQuery('flows.list');
  const users = useQuery('users.list');
  const groups = useQuery('groups.list');
  const ready = [flows, users, groups].every((query) => query.status !== 'loading');
  return (
    <div className="app" data-testid="app" data-ready={ready ? 'true' : 'false'}>
      <AppHeader />
      <ConnectionBanner />
      <div className="app-body">
        <Sidebar />
        <MainPane />
      </div>
      <DialogHost />
      <BlueprintPicker />
      <DropOverlay />
      <NoticeHost />
    </div>
  );
}
