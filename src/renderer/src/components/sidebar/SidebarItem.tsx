import { type ReactNode } from 'react';

interface SidebarItemProps {
  selected: boolean;
  onSelect(): void;
  primary: ReactNode;
  secondary?: ReactNode;
  trailing?: ReactNode;
  testId: string;
  /** The full text for the tooltip, since long names are cut. */
  title: string;
}

/** One selectable row of a sidebar list. */
export function SidebarItem({
  selected,
  onSelect,
  primary,
  secondary,
  trailing,
  testId,
  title,
}: SidebarItemProps) {
  return (
    <li>
      <button
        type="button"
        className={selected ? 'sidebar-item is-selected' : 'sidebar-item'}
        aria-current={selected ? 'true' : undefined}
        onClick={onSelect}
        data-testid={testId}
        title={title}
      >
        <span className="sidebar-item-line">
          <span className="sidebar-item-primary">{primary}</span>
          {trailing}
        </span>
        {secondary && <span className="sidebar-item-secondary">{secondary}</span>}
      </button>
    </li>
  );
}
