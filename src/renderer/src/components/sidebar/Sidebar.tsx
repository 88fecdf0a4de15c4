import { FlowList } from './FlowList';
import { GroupList } from './GroupList';
import { UserList } from './UserList';

/** The left column: flows, users and groups of the workspace. */
export function Sidebar() {
  return (
    <nav className="sidebar" aria-label="Workspace">
      <FlowList />
      <UserList />
      <GroupList />
    </nav>
  );
}
