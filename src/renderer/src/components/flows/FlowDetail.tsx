import { type Flow } from '@shared/model';
import { authenticationLabels, label } from '../../lib/labels';
import { useUiStore } from '../../state/ui-store';
import { DesignationBadge } from '../common/DesignationBadge';
import { DetailHeader } from '../common/DetailHeader';
import { Section } from '../common/Section';
import { FeaturePlaceholder } from './FeaturePlaceholder';
import { FlowSettingsForm } from './FlowSettingsForm';
import { StageBindingTable } from './StageBindingTable';

/** The main pane for a flow: settings, its stage bindings, and the regions still to come. */
export function FlowDetail({ flow }: { flow: Flow }) {
  const openDialog = useUiStore((state) => state.openDialog);
  return (
    <article className="detail" data-testid="flow-detail">
      <DetailHeader
        kind="Flow"
        title={flow.name}
        meta={
          <>
            <span className="mono" data-testid="detail-slug">
              {flow.slug}
            </span>
            <DesignationBadge designation={flow.designation} />
            <span className="muted">{label(authenticationLabels, flow.authentication)}</span>
          </>
        }
        actions={
          <>
            <button
              type="button"
              className="button"
              onClick={() => openDialog({ type: 'rename-flow', pk: flow.pk })}
              data-testid="rename-flow"
            >
              Rename
            </button>
            <button
              type="button"
              className="button"
              onClick={() => openDialog({ type: 'duplicate-flow', pk: flow.pk })}
              data-testid="duplicate-flow"
            >
              Duplicate
            </button>
            <button
              type="button"
              className="button"
              onClick={() => openDialog({ type: 'export-blueprint', flows: [flow.slug] })}
              data-testid="export-flow"
            >
              Export…
            </button>
            <button
              type="button"
              className="button button-danger-quiet"
              onClick={() =>
                openDialog({ type: 'delete', entity: 'flow', pk: flow.pk, label: flow.name })
              }
              data-testid="delete-flow"
            >
              Delete
            </button>
          </>
        }
      />
      <Section title="Settings">
        <FlowSettingsForm key={flow.pk} flow={flow} />
      </Section>
      <Section title="Stage bindings" description="In execution order. Read-only for now.">
        <StageBindingTable flowPk={flow.pk} />
      </Section>
      <div className="placeholder-grid">
        <FeaturePlaceholder title="Graph editor" testId="placeholder-graph">
          The visual editor for this flow’s stages, bindings and policies will appear here. It is
          not built yet.
        </FeaturePlaceholder>
        <FeaturePlaceholder title="Preview" testId="placeholder-preview">
          Running this flow step by step against a sandbox copy of the workspace will appear here.
          It is not built yet.
        </FeaturePlaceholder>
      </div>
    </article>
  );
}
