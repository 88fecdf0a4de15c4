import { type ReactNode } from 'react';
import { type QueryState } from '../../api/query-cache';

interface SidebarListStateProps<T> {
  query: QueryState<readonly T[]>;
  noun: string;
  empty: ReactNode;
  children(items: readonly T[]): ReactNode;
}

/** Loading, error and empty handling shared by the three sidebar lists. */
export function SidebarListState<T>({ query, noun, empty, children }: SidebarListStateProps<T>) {
  if (query.data === undefined) {
    if (query.status === 'error') {
      return (
        <p className="sidebar-note sidebar-note-error" role="alert">
          Could not load {noun}: {query.error?.message}
        </p>
      );
    }
    return <p className="sidebar-note">Loading {noun}…</p>;
  }
  if (query.data.length === 0) return <div className="sidebar-note">{empty}</div>;
  return <ul className="sidebar-list">{children(query.data)}</ul>;
}
