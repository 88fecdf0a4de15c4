import { stageRegistry } from '@shared/model';
import { useQuery } from '../../api/use-query';
import { EmptyState } from '../common/EmptyState';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function kindLabel(kind: string): string {
  return (stageRegistry as Record<string, { label: string } | undefined>)[kind]?.label ?? kind;
}

/** The flow's stage bindings in execution order. Read-only until the graph editor lands. */
export function StageBindingTable({ flowPk }: { flowPk: string }) {
  const bindings = useQuery('bindings.list', { flow: flowPk });
  const stages = useQuery('stages.list');
  if (bindings.data === undefined) {
    if (bindings.status === 'error') {
      return (
        <p className="inline-error" role="alert">
          Could not load the stage bindings: {bindings.error?.message}
        </p>
      );
    }
    return <p className="muted">Loading stage bindings…</p>;
  }
  if (bindings.data.length === 0) {
    return (
      <EmptyState title="No stages bound to this flow" compact testId="bindings-empty">
        A flow without stages completes at once. Binding stages will be done in the graph editor,
        which is not built yet; until then, stages arrive with an imported blueprint.
      </EmptyState>
    );
  }
  const stageByPk = new Map((stages.data ?? []).map((stage) => [stage.pk, stage]));
  const ordered = [...bindings.data].sort((a, b) => a.order - b.order);
  return (
    <div className="table-scroll">
      <table className="table" data-testid="bindings-table">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Order
            </th>
            <th scope="col">Stage</th>
            <th scope="col">Kind</th>
            <th scope="col">Evaluate on plan</th>
            <th scope="col">Re-evaluate</th>
            <th scope="col">Invalid response</th>
            <th scope="col">Policy mode</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((binding) => {
            const stage = stageByPk.get(binding.stage);
            return (
              <tr key={binding.pk}>
                <td className="numeric mono">{binding.order}</td>
                <td className="break-anywhere stage-name">
                  {stage?.name ?? <span className="muted mono">{binding.stage}</span>}
                </td>
                <td className="muted nowrap">{stage ? kindLabel(stage.kind) : '—'}</td>
                <td>{yesNo(binding.evaluate_on_plan)}</td>
                <td>{yesNo(binding.re_evaluate_policies)}</td>
                <td className="mono">{binding.invalid_response_action}</td>
                <td className="mono">{binding.policy_engine_mode}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
