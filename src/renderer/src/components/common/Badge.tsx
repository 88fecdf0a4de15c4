import { type ReactNode } from 'react';

/** A small neutral or toned tag (status, flags). */
export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'warning' | 'accent' | 'success' | 'danger';
  children: ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
