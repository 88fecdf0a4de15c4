import { type ReactNode } from 'react';

interface DetailHeaderProps {
  title: string;
  kind: string;
  meta?: ReactNode;
  actions?: ReactNode;
}

/** The top of the main pane: what is shown, its key facts and the actions on it. */
export function DetailHeader({ title, kind, meta, actions }: DetailHeaderProps) {
  return (
    <header className="detail-header">
      <div className="detail-heading">
        <p className="detail-kind">{kind}</p>
        <h1 className="detail-title" data-testid="detail-title" title={title}>
          {title}
        </h1>
        {meta && <div className="detail-meta">{meta}</div>}
      </div>
      {actions && <div className="detail-actions">{actions}</div>}
    </header>
  );
}
