import { useQuery } from '../../api/use-query';
import { useServices } from '../../api/services-context';
import { openBlueprintPicker } from '../../lib/start-import';
import { useUiStore } from '../../state/ui-store';
import { ThemeToggle } from './ThemeToggle';
import { WorkspacePath } from './WorkspacePath';

/** The top bar: product, which workspace file is open, blueprint import/export, theme switch. */
export function AppHeader() {
  const info = useQuery('workspace.info');
  const { mode } = useServices();
  const openDialog = useUiStore((state) => state.openDialog);
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
      <button
        type="button"
        className="button button-quiet"
        onClick={openBlueprintPicker}
        title="Import authentik blueprint files (.yaml); you can also drop them onto the window"
        data-testid="import-blueprint"
      >
        Import blueprint…
      </button>
      <button
        type="button"
        className="button button-quiet"
        onClick={() => openDialog({ type: 'export-blueprint', flows: [] })}
        data-testid="export-workspace"
      >
        Export workspace…
      </button>
      <ThemeToggle />
    </header>
  );
}
