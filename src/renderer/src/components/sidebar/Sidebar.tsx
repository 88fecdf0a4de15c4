import { BlueprintList } from './BlueprintList';
import { FlowList } from './FlowList';
import { GroupList } from './GroupList';
import { UserList } from './UserList';

/** The left column: flows, users, groups and imported blueprints of the workspace. */
export function Sidebar() {
  return (
    <nav className="sidebar" aria-label="Workspace">
      <FlowList />
      <UserList />
      <GroupList />
      <BlueprintList />
    </nav>
  );
}
