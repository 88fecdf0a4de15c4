import { type ReactNode } from 'react';

/** A region reserved for a feature that does not exist yet. Says so; shows no fake data. */
export function FeaturePlaceholder({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <section className="placeholder" aria-label={`${title} (not built yet)`} data-testid={testId}>
      <p className="placeholder-title">
        {title} <span className="badge badge-neutral">not built yet</span>
      </p>
      <p className="placeholder-text">{children}</p>
    </section>
  );
}
