import { useQuery } from '../../api/use-query';
import { openBlueprintPicker } from '../../lib/start-import';
import { BlueprintItem } from './BlueprintItem';
import { SidebarListState } from './SidebarListState';
import { SidebarSection } from './SidebarSection';

/** Blueprints imported into this workspace, newest first. Read-only. */
export function BlueprintList() {
  const blueprints = useQuery('blueprints.list');
  const sorted = blueprints.data
    ? [...blueprints.data].sort((a, b) =>
        a.imported_at < b.imported_at ? 1 : a.imported_at > b.imported_at ? -1 : 0,
      )
    : undefined;
  return (
    <SidebarSection
      title="Blueprints"
      count={blueprints.data?.length}
      addLabel="Import blueprint…"
      onAdd={openBlueprintPicker}
      testId="blueprints"
    >
      <SidebarListState
        query={{ ...blueprints, data: sorted }}
        noun="blueprints"
        empty={
          <>
            No blueprints imported yet.{' '}
            <button type="button" className="link-button" onClick={openBlueprintPicker}>
              Import a blueprint
            </button>{' '}
            or drop a .yaml file onto the window.
          </>
        }
      >
        {(items) => items.map((item) => <BlueprintItem key={item.pk} blueprint={item} />)}
      </SidebarListState>
    </SidebarSection>
  );
}
