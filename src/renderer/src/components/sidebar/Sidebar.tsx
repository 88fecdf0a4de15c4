import { BlueprintList } from './BlueprintList';
import { FlowList } from './FlowList';
import { GroupList } from './GroupList';
import { PolicyList } from './PolicyList';
import { UserList } from './UserList';

/** The left column: flows, users, groups, policies and imported blueprints of the workspace. */
export function Sidebar() {
  return (
    <nav className="sidebar" aria-label="Workspace">
      <FlowList />
      <UserList />
      <GroupList />
      <PolicyList />
      <BlueprintList />
    </nav>
  );
}
