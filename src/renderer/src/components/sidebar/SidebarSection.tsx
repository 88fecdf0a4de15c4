import { type ReactNode, useId } from 'react';
import { type SidebarSectionId, useUiStore } from '../../state/ui-store';

interface SidebarSectionProps {
  title: string;
  count: number | undefined;
  /** The section's "+" button; absent = no button (nothing to create from here yet). */
  addLabel?: string;
  onAdd?(): void;
  testId: SidebarSectionId;
  children: ReactNode;
}

/** One foldable group of the sidebar (Flows, Users, Groups, …): title, count and add button. */
export function SidebarSection({
  title,
  count,
  addLabel,
  onAdd,
  testId,
  children,
}: SidebarSectionProps) {
  const bodyId = useId();
  const collapsed = useUiStore((state) => state.collapsed[testId]);
  const toggleSection = useUiStore((state) => state.toggleSection);
  return (
    <section className="sidebar-section" aria-label={title} data-testid={testId}>
      <header className="sidebar-section-header">
        <h2 className="sidebar-section-title">
          <button
            type="button"
            className="sidebar-section-toggle"
            aria-expanded={!collapsed}
            aria-controls={bodyId}
            onClick={() => toggleSection(testId)}
            data-testid={`${testId}-toggle`}
          >
            <span className={collapsed ? 'chevron is-collapsed' : 'chevron'} aria-hidden="true">
              ▾
            </span>
            {title}
            {count !== undefined && <span className="sidebar-count">{count}</span>}
          </button>
        </h2>
        {onAdd && addLabel && (
          <button
            type="button"
            className="icon-button"
            aria-label={addLabel}
            title={addLabel}
            onClick={onAdd}
            data-testid={`${testId}-add`}
          >
            <span aria-hidden="true">+</span>
          </button>
        )}
      </header>
      <div id={bodyId} hidden={collapsed}>
        {children}
      </div>
    </section>
  );
}
