import { useQuery } from '../../api/use-query';
import { useServices } from '../../api/services-context';
import { ThemeToggle } from './ThemeToggle';
import { WorkspacePath } from './WorkspacePath';

/** The top bar: product, which workspace file is open, and the theme switch. */
export function AppHeader() {
  const info = useQuery('workspace.info');
  const { mode } = useServices();
  return (
    <header className="app-header">
      <span className="app-brand">Flowbench</span>
      {info.data && <WorkspacePath path={info.data.path} />}
      <span className="app-header-spacer" />
      {mode === 'http' && (
        <span className="badge badge-neutral" title="Served by flowbench serve on this machine">
          browser
        </span>
      )}
      <ThemeToggle />
    </header>
  );
}
