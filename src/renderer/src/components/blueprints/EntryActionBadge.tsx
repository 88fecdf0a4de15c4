import { type EntryAction } from '@shared/contract';
import { actionHints, actionLabels } from '../../lib/import-report';

/** An entry's action as a coloured tag; the colour is per action, per theme. */
export function EntryActionBadge({ action }: { action: EntryAction }) {
  return (
    <span
      className={`badge badge-action badge-action-${action}`}
      title={actionHints[action]}
      data-testid="entry-action"
      data-action={action}
    >
      {actionLabels[action]}
    </span>
  );
}
