import { type ReactNode, useId } from 'react';

interface SectionProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}

/** A titled block of the main pane. */
export function Section({ title, description, actions, children, testId }: SectionProps) {
  const id = useId();
  return (
    <section className="section" aria-labelledby={id} data-testid={testId}>
      <header className="section-header">
        <div>
          <h2 id={id} className="section-title">
            {title}
          </h2>
          {description && <p className="section-description">{description}</p>}
        </div>
        {actions && <div className="section-actions">{actions}</div>}
      </header>
      <div className="section-body">{children}</div>
    </section>
  );
}
