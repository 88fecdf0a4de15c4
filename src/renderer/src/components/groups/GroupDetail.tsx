import { type Group } from '@shared/model';
import { useUiStore } from '../../state/ui-store';
import { Badge } from '../common/Badge';
import { DetailHeader } from '../common/DetailHeader';
import { Section } from '../common/Section';
import { GroupForm } from './GroupForm';
import { GroupMembers } from './GroupMembers';

export function GroupDetail({ group, parentName }: { group: Group; parentName: string | null }) {
  const openDialog = useUiStore((state) => state.openDialog);
  return (
    <article className="detail" data-testid="group-detail">
      <DetailHeader
        kind="Group"
        title={group.name}
        meta={
          <>
            {parentName && <span className="truncate">in {parentName}</span>}
            {group.is_superuser && <Badge tone="accent">superuser</Badge>}
          </>
        }
        actions={
          <button
            type="button"
            className="button button-danger-quiet"
            onClick={() =>
              openDialog({ type: 'delete', entity: 'group', pk: group.pk, label: group.name })
            }
            data-testid="delete-group"
          >
            Delete
          </button>
        }
      />
      <Section title="Group">
        <GroupForm key={group.pk} group={group} />
      </Section>
      <Section title="Members">
        <GroupMembers groupPk={group.pk} />
      </Section>
    </article>
  );
}
