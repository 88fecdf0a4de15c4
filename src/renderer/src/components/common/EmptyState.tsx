import { type ReactNode } from 'react';

interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
  compact?: boolean;
}

/** What an empty list or pane says, with the one thing to do next. */
export function EmptyState({ title, children, action, testId, compact }: EmptyStateProps) {
  return (
    <div
      className={compact ? 'empty-state empty-state-compact' : 'empty-state'}
      data-testid={testId}
    >
      <p className="empty-state-title">{title}</p>
      {children && <div className="empty-state-text">{children}</div>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
